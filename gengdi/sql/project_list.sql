-- The key-project list of 年度 $year within the scope, with its state as of $as_of: not yet
-- guaranteed first. Filters: $places (codes of level $by; empty = all), $categories (empty = all),
-- $status (全部 | 未保障 | 已保障). At most $limit rows (NULL = all); rows_total counts them all.
SELECT count(*) OVER () AS rows_total,
       t.project_id, t.project_name, t.code, u.name AS unit, t.city, t.province, c.name AS city_name,
       t.category, t.area_mu,
       CASE WHEN t.guaranteed_date <= $as_of THEN t.guaranteed_date END AS guaranteed_date,
       t.guaranteed_date <= $as_of IS TRUE AS guaranteed
FROM projects t
JOIN areas u ON u.level = 'unit' AND u.code = t.code
LEFT JOIN areas c ON c.level = 'city' AND c.code = t.city
WHERE t.year = $year
  AND ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province)
  AND (len($places::VARCHAR[]) = 0
       OR list_contains($places::VARCHAR[], CASE $by WHEN 'province' THEN t.province WHEN 'city' THEN t.city ELSE t.code END))
  AND (len($categories::VARCHAR[]) = 0 OR list_contains($categories::VARCHAR[], t.category))
  AND ($status = '全部' OR (t.guaranteed_date <= $as_of IS TRUE) = ($status = '已保障'))
ORDER BY guaranteed, t.code, t.project_id
LIMIT $limit
