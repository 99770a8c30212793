-- Every place's ($by) cultivated land and basic farmland, with targets, for every year (sums of its
-- county-level rows), and how many county-level units reported 耕地 that year.
SELECT t.year, CASE $by WHEN 'province' THEN t.province WHEN 'city' THEN t.city ELSE t.code END AS code,
       (sum(t.cultivated_mu::DECIMAL(18, 4)))::DOUBLE AS cultivated_mu, (sum(t.cultivated_target_mu::DECIMAL(18, 4)))::DOUBLE AS cultivated_target_mu,
       (sum(t.basic_farmland_mu::DECIMAL(18, 4)))::DOUBLE AS basic_farmland_mu, (sum(t.basic_farmland_target_mu::DECIMAL(18, 4)))::DOUBLE AS basic_farmland_target_mu,
       (sum(t.occupied_mu::DECIMAL(18, 4)))::DOUBLE AS occupied_mu, (sum(t.supplemented_mu::DECIMAL(18, 4)))::DOUBLE AS supplemented_mu,
       count(t.cultivated_mu) AS n_units
FROM cultivated t
WHERE ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province) AND t.city IS NOT NULL
GROUP BY ALL
ORDER BY 1, 2
