-- The 耕地 年度 each city has data for (the data year of a scope is the latest one ≤ its year).
SELECT DISTINCT year, city, province
FROM cultivated_pairs
ORDER BY year, city
