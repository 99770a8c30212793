-- 年度任务 of year $year for the county-level units in the scope: the unit, its city and province,
-- the indicator and the target (亩, or a fraction for a rate target).
SELECT t.code, t.city, t.province, t.indicator, t.target
FROM tasks t
WHERE t.year = $year AND ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province)
  AND t.city IS NOT NULL
ORDER BY t.code, t.indicator
