-- Cities in the store (区划 rows of 级别 市), with how many county-level units each has.
SELECT c.code, c.name, count(u.code) AS units
FROM units c
LEFT JOIN units u ON u.parent_code = c.code AND u.level = '县级'
WHERE c.level = '市'
GROUP BY c.code, c.name
ORDER BY c.code
