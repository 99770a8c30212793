-- The key-project list of 年度 $year, with its state as of $as_of.
SELECT p.project_id, p.project_name, p.code, u.name AS unit, p.category, p.area_mu,
       CASE WHEN p.guaranteed_date <= $as_of THEN p.guaranteed_date END AS guaranteed_date,
       p.guaranteed_date <= $as_of IS TRUE AS guaranteed
FROM projects p
JOIN units u ON u.code = p.code AND u.level = '县级' AND u.parent_code = $city
WHERE p.year = $year
ORDER BY guaranteed, p.code, p.project_id
