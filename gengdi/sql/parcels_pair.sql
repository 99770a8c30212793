-- The summary's two dates in one pass: disposal-campaign parcels per place ($by) and type, on the
-- task list of $as_of's year as of $as_of, and on the list of $before's year as of $before.
SELECT CASE $by WHEN 'province' THEN t.province WHEN 'city' THEN t.city ELSE t.code END AS code, t.type,
       (sum(t.area_mu::DECIMAL(18, 4)) FILTER (WHERE t.task_year = year($as_of)))::DOUBLE AS base_mu,
       coalesce((sum(t.disposed_mu::DECIMAL(18, 4))
                 FILTER (WHERE t.task_year = year($as_of) AND t.disposal_date <= $as_of))::DOUBLE, 0) AS disposed_mu,
       (sum(t.area_mu::DECIMAL(18, 4)) FILTER (WHERE t.task_year = year($before)))::DOUBLE AS base_before_mu,
       coalesce((sum(t.disposed_mu::DECIMAL(18, 4))
                 FILTER (WHERE t.task_year = year($before) AND t.disposal_date <= $before))::DOUBLE, 0) AS disposed_before_mu
FROM parcels t
WHERE t.task_year BETWEEN year($before) AND year($as_of) AND t.city IS NOT NULL
  AND ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province)
GROUP BY ALL
