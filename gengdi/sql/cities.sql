-- Cities in the store, with their province and how many county-level units each has.
SELECT c.code, c.name, c.province, count(u.code) AS units
FROM areas c
LEFT JOIN areas u ON u.level = 'unit' AND u.city = c.code
WHERE c.level = 'city'
GROUP BY c.code, c.name, c.province
ORDER BY c.code
