-- Disposal-campaign parcels of 任务年度 $year per unit and type: base area, disposed by $as_of.
SELECT
    p.code,
    p.type,
    sum(p.area_mu) AS base_mu,
    coalesce(sum(p.disposed_mu) FILTER (WHERE p.disposal_date <= $as_of), 0) AS disposed_mu
FROM parcels p
JOIN units u ON u.code = p.code AND u.level = '县级' AND u.parent_code = $city
WHERE p.task_year = $year
GROUP BY p.code, p.type
ORDER BY p.code, p.type
