-- The disposal-campaign parcels of 任务年度 $year, with their state as of $as_of.
SELECT q.parcel_id, q.code, u.name AS unit, q.type, q.approval_year, q.area_mu,
       CASE WHEN q.disposal_date <= $as_of THEN q.disposal_date END AS disposal_date,
       CASE WHEN q.disposal_date <= $as_of THEN q.disposed_mu ELSE 0 END AS disposed_mu,
       CASE WHEN q.disposal_date <= $as_of THEN q.method END AS method
FROM parcels q
JOIN units u ON u.code = q.code AND u.level = '县级' AND u.parent_code = $city
WHERE q.task_year = $year
ORDER BY disposal_date IS NOT NULL, q.code, q.type, q.parcel_id
