-- The latest 耕地 年度 ≤ $year that the city has data for.
SELECT max(c.year) AS data_year
FROM cultivated c
JOIN units u ON u.code = c.code AND u.level = '县级' AND u.parent_code = $city
WHERE c.year <= $year
