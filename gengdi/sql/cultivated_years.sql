-- The 耕地 年度 each city has data for (a city's data year is its latest one ≤ the as-of year).
SELECT year, city, province
FROM cultivated_years
ORDER BY year, city
