-- Every place of the hierarchy: provinces, cities and county-level units, with their parents.
SELECT level, code, name, city, province, lon, lat
FROM areas
ORDER BY level, code
