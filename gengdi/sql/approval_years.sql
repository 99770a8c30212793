-- The 批准年度 range of a task year's parcels within the scope, per type: the base named on the page.
SELECT t.type, min(t.approval_year) AS first_year, max(t.approval_year) AS last_year,
       count(*) AS parcels, sum(t.area_mu) AS base_mu
FROM parcels t
WHERE t.task_year = $year AND ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province) AND t.city IS NOT NULL
GROUP BY t.type
ORDER BY t.type
