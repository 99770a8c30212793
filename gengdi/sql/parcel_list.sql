-- The disposal-campaign parcels of 任务年度 $year within the scope, with their state as of $as_of:
-- undisposed first. Filters: $places (codes of level $by; empty = all), $types (empty = all).
-- At most $limit rows (NULL = all); rows_total counts them all.
SELECT count(*) OVER () AS rows_total,
       t.parcel_id, t.code, u.name AS unit, t.city, t.province, c.name AS city_name, t.type, t.approval_year,
       t.area_mu,
       CASE WHEN t.disposal_date <= $as_of THEN t.disposal_date END AS disposal_date,
       CASE WHEN t.disposal_date <= $as_of THEN t.disposed_mu ELSE 0 END AS disposed_mu,
       CASE WHEN t.disposal_date <= $as_of THEN t.method END AS method
FROM parcels t
JOIN areas u ON u.level = 'unit' AND u.code = t.code
LEFT JOIN areas c ON c.level = 'city' AND c.code = t.city
WHERE t.task_year = $year
  AND ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province)
  AND (len($places::VARCHAR[]) = 0
       OR list_contains($places::VARCHAR[], CASE $by WHEN 'province' THEN t.province WHEN 'city' THEN t.city ELSE t.code END))
  AND (len($types::VARCHAR[]) = 0 OR list_contains($types::VARCHAR[], t.type))
ORDER BY t.disposal_date <= $as_of IS TRUE, t.code, t.type, t.parcel_id
LIMIT $limit
