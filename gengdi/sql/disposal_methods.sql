-- Area disposed by $as_of per type and 处置方式, 任务年度 $year, within the scope.
SELECT t.type, coalesce(t.method, '未注明') AS method,
       count(*) AS parcels, sum(t.disposed_mu) AS disposed_mu
FROM parcels t
WHERE t.task_year = $year AND t.disposal_date <= $as_of AND ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province) AND t.city IS NOT NULL
GROUP BY ALL
ORDER BY t.type, disposed_mu DESC
