-- The 批准年度 range of a task year's parcels, per type: the base named on the page.
SELECT q.type, min(q.approval_year) AS first_year, max(q.approval_year) AS last_year,
       count(*) AS parcels, sum(q.area_mu) AS base_mu
FROM parcels q
JOIN units u ON u.code = q.code AND u.level = '县级' AND u.parent_code = $city
WHERE q.task_year = $year
GROUP BY q.type
ORDER BY q.type
