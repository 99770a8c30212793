-- Key projects of the year of each date in $ends, per place ($by) and category: the list's count
-- and how many were guaranteed by that date.
SELECT e.end_date, CASE $by WHEN 'province' THEN t.province WHEN 'city' THEN t.city ELSE t.code END AS code, t.category,
       count(*) AS total,
       count(*) FILTER (WHERE t.guaranteed_date <= e.end_date) AS guaranteed
FROM (SELECT unnest($ends::DATE[]) AS end_date) e
JOIN projects t ON t.year = year(e.end_date)
WHERE ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province) AND t.city IS NOT NULL
  AND t.year BETWEEN year(list_min($ends::DATE[])) AND year(list_max($ends::DATE[]))
GROUP BY ALL
