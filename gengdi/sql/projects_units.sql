-- Key projects of 年度 $year per unit and category: count, and guaranteed by $as_of.
SELECT
    p.code,
    p.category,
    count(*) AS total,
    count(*) FILTER (WHERE p.guaranteed_date <= $as_of) AS guaranteed
FROM projects p
JOIN units u ON u.code = p.code AND u.level = '县级' AND u.parent_code = $city
WHERE p.year = $year
GROUP BY p.code, p.category
ORDER BY p.code, p.category
