-- The reporting units of a city: its 县级 区划 rows.
SELECT code, name, lon, lat
FROM units
WHERE level = '县级' AND parent_code = $city
ORDER BY code
