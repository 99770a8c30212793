-- Parcels of 任务年度 $year disposed by each date of $ends, per type (and unit).
SELECT e.end_date, q.code, q.type,
       sum(q.area_mu) AS base_mu,
       coalesce(sum(q.disposed_mu) FILTER (WHERE q.disposal_date <= e.end_date), 0) AS disposed_mu
FROM parcels q
JOIN units u ON u.code = q.code AND u.level = '县级' AND u.parent_code = $city
CROSS JOIN (SELECT unnest($ends::DATE[]) AS end_date) e
WHERE q.task_year = $year
GROUP BY e.end_date, q.code, q.type
ORDER BY e.end_date, q.code, q.type
