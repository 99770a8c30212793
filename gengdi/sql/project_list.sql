-- The key-project list of 年度 $year within the scope, with its state as of $as_of.
SELECT t.project_id, t.project_name, t.code, u.name AS unit, t.city, t.province, c.name AS city_name, t.category, t.area_mu,
       CASE WHEN t.guaranteed_date <= $as_of THEN t.guaranteed_date END AS guaranteed_date,
       t.guaranteed_date <= $as_of IS TRUE AS guaranteed
FROM projects t
JOIN areas u ON u.level = 'unit' AND u.code = t.code
LEFT JOIN areas c ON c.level = 'city' AND c.code = t.city
WHERE t.year = $year AND ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province)
ORDER BY guaranteed, t.code, t.project_id
