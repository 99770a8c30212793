-- Per data year in $years and place ($by): the sums the 口径 needs over the county-level rows of
-- that year (cultivated_pairs holds each unit's area of the year before): a unit counts towards 耕地
-- only with both area and target, towards the change only with last year's area too, towards 永农
-- only with both area and task.
SELECT t.year,
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
FROM cultivated_pairs t
WHERE list_contains($years::INTEGER[], t.year)
  AND ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province)
GROUP BY ALL
