-- The summary's two dates in one pass: key projects per place ($by) and category, counted on the
-- list of $as_of's year as of $as_of, and on the list of $before's year (the same year, or the
-- year before in January) as of $before (the end of the previous month).
SELECT CASE $by WHEN 'province' THEN t.province WHEN 'city' THEN t.city ELSE t.code END AS code, t.category,
       count(*) FILTER (WHERE t.year = year($as_of)) AS total,
       count(*) FILTER (WHERE t.year = year($as_of) AND t.guaranteed_date <= $as_of) AS guaranteed,
       count(*) FILTER (WHERE t.year = year($before)) AS total_before,
       count(*) FILTER (WHERE t.year = year($before) AND t.guaranteed_date <= $before) AS guaranteed_before
FROM projects t
WHERE t.year BETWEEN year($before) AND year($as_of) AND t.city IS NOT NULL
  AND ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province)
GROUP BY ALL
