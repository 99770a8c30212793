-- For each as-of year in $years and place ($by): the sums the 口径 needs over the county-level rows
-- of each city's own data year (its latest 年度 ≤ the as-of year; cultivated_pairs holds each unit's
-- area of the year before): a unit counts towards 耕地 only with both area and target, towards the
-- change only with last year's area too, towards 永农 only with both area and task.
WITH city_year AS (
    SELECT a.year AS asked, y.city, max(y.year) AS data_year
    FROM (SELECT unnest($years::INTEGER[]) AS year) a
    JOIN cultivated_years y ON y.year <= a.year
    WHERE ($city IS NULL OR y.city = $city) AND ($province IS NULL OR y.province = $province)
    GROUP BY a.year, y.city
)
SELECT c.asked AS year,
       CASE $by WHEN 'province' THEN t.province WHEN 'city' THEN t.city ELSE t.code END AS code,
       count(*) FILTER (WHERE t.cultivated_mu IS NOT NULL AND t.cultivated_target_mu IS NOT NULL) AS n_cultivated,
       (sum(t.cultivated_mu::DECIMAL(18, 4)) FILTER (WHERE t.cultivated_target_mu IS NOT NULL))::DOUBLE AS cultivated_mu,
       (sum(t.cultivated_target_mu::DECIMAL(18, 4)) FILTER (WHERE t.cultivated_mu IS NOT NULL))::DOUBLE AS cultivated_target_mu,
       count(*) FILTER (WHERE t.cultivated_mu IS NOT NULL AND t.cultivated_target_mu IS NOT NULL
                        AND t.prev_cultivated_mu IS NOT NULL) AS n_change,
       (sum(t.cultivated_mu::DECIMAL(18, 4) - t.prev_cultivated_mu::DECIMAL(18, 4))
            FILTER (WHERE t.cultivated_target_mu IS NOT NULL))::DOUBLE AS change_mu,
       count(*) FILTER (WHERE t.basic_farmland_mu IS NOT NULL AND t.basic_farmland_target_mu IS NOT NULL) AS n_basic_farmland,
       (sum(t.basic_farmland_mu::DECIMAL(18, 4)) FILTER (WHERE t.basic_farmland_target_mu IS NOT NULL))::DOUBLE AS basic_farmland_mu,
       (sum(t.basic_farmland_target_mu::DECIMAL(18, 4)) FILTER (WHERE t.basic_farmland_mu IS NOT NULL))::DOUBLE AS basic_farmland_target_mu
FROM city_year c
JOIN cultivated_pairs t ON t.city = c.city AND t.year = c.data_year
GROUP BY ALL
