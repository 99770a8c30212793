-- Area disposed by $as_of per type and 处置方式, 任务年度 $year.
SELECT q.type, coalesce(q.method, '未注明') AS method,
       count(*) AS parcels, sum(q.disposed_mu) AS disposed_mu
FROM parcels q
JOIN units u ON u.code = q.code AND u.level = '县级' AND u.parent_code = $city
WHERE q.task_year = $year AND q.disposal_date <= $as_of
GROUP BY ALL
ORDER BY q.type, disposed_mu DESC
