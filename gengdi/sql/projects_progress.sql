-- Key projects of 年度 $year guaranteed by each date of $ends, per category (and unit).
SELECT e.end_date, p.code, p.category,
       count(*) AS total,
       count(*) FILTER (WHERE p.guaranteed_date <= e.end_date) AS guaranteed
FROM projects p
JOIN units u ON u.code = p.code AND u.level = '县级' AND u.parent_code = $city
CROSS JOIN (SELECT unnest($ends::DATE[]) AS end_date) e
WHERE p.year = $year
GROUP BY e.end_date, p.code, p.category
ORDER BY e.end_date, p.code, p.category
