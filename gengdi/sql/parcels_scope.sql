-- Disposal-campaign parcels of the 任务年度 of each date in $ends, per place ($by) and type: the
-- base area and the area disposed by that date.
SELECT e.end_date, CASE $by WHEN 'province' THEN t.province WHEN 'city' THEN t.city ELSE t.code END AS code, t.type,
       (sum(t.area_mu::DECIMAL(18, 4)))::DOUBLE AS base_mu,
       coalesce((sum(t.disposed_mu::DECIMAL(18, 4)) FILTER (WHERE t.disposal_date <= e.end_date))::DOUBLE, 0) AS disposed_mu
FROM (SELECT unnest($ends::DATE[]) AS end_date) e
JOIN parcels t ON t.task_year = year(e.end_date)
WHERE ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province) AND t.city IS NOT NULL
  AND t.task_year BETWEEN year(list_min($ends::DATE[])) AND year(list_max($ends::DATE[]))
GROUP BY ALL
