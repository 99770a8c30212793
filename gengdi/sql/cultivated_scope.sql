-- For each as-of year in $years and place ($by): the sums the 口径 needs over the county-level rows
-- of each city's own data year Yd (its latest 年度 ≤ the as-of year) and of the year before: a unit
-- counts towards 耕地 only with both area and target, towards 永农 only with both area and task.
-- The change of a place is its total at Yd minus its total at Yd−1 (prev_mu over every unit with an
-- area at Yd−1); n_new / n_gone count the units that report in only one of the two years.
WITH city_year AS (
    SELECT a.year AS asked, y.city, max(y.year) AS data_year
    FROM (SELECT unnest($years::INTEGER[]) AS year) a
    JOIN cultivated_years y ON y.year <= a.year
    WHERE ($city IS NULL OR y.city = $city) AND ($province IS NULL OR y.province = $province)
    GROUP BY a.year, y.city
),
now AS (
    SELECT c.asked AS year, c.data_year, t.*,
           (t.cultivated_mu IS NOT NULL AND t.cultivated_target_mu IS NOT NULL) AS counted
    FROM city_year c
    JOIN cultivated_pairs t ON t.city = c.city AND t.year = c.data_year
),
before AS (
    SELECT c.asked AS year,
           CASE $by WHEN 'province' THEN p.province WHEN 'city' THEN p.city ELSE p.code END AS code,
           count(*) AS n_prev,
           (sum(p.cultivated_mu::DECIMAL(18, 4)))::DOUBLE AS prev_mu,
           count(*) FILTER (WHERE NOT EXISTS (
               SELECT 1 FROM now n WHERE n.year = c.asked AND n.code = p.code AND n.counted)) AS n_gone
    FROM city_year c
    JOIN cultivated_pairs p ON p.city = c.city AND p.year = c.data_year - 1
    WHERE p.cultivated_mu IS NOT NULL
    GROUP BY ALL
),
cur AS (
    SELECT t.year,
           CASE $by WHEN 'province' THEN t.province WHEN 'city' THEN t.city ELSE t.code END AS code,
           count(*) FILTER (WHERE t.counted) AS n_cultivated,
           (sum(t.cultivated_mu::DECIMAL(18, 4)) FILTER (WHERE t.counted))::DOUBLE AS cultivated_mu,
           (sum(t.cultivated_target_mu::DECIMAL(18, 4)) FILTER (WHERE t.counted))::DOUBLE AS cultivated_target_mu,
           count(*) FILTER (WHERE t.counted AND t.prev_cultivated_mu IS NULL) AS n_new,
           count(*) FILTER (WHERE t.basic_farmland_mu IS NOT NULL AND t.basic_farmland_target_mu IS NOT NULL) AS n_basic_farmland,
           (sum(t.basic_farmland_mu::DECIMAL(18, 4)) FILTER (WHERE t.basic_farmland_target_mu IS NOT NULL))::DOUBLE AS basic_farmland_mu,
           (sum(t.basic_farmland_target_mu::DECIMAL(18, 4)) FILTER (WHERE t.basic_farmland_mu IS NOT NULL))::DOUBLE AS basic_farmland_target_mu
    FROM now t
    GROUP BY ALL
)
-- a place with rows at Yd−1 only (a unit that stopped reporting) still carries them to the totals
SELECT coalesce(cur.year, b.year) AS year, coalesce(cur.code, b.code) AS code,
       coalesce(n_cultivated, 0), cultivated_mu, cultivated_target_mu,
       coalesce(n_prev, 0) AS n_prev, prev_mu, coalesce(n_new, 0), coalesce(n_gone, 0) AS n_gone,
       coalesce(n_basic_farmland, 0), basic_farmland_mu, basic_farmland_target_mu
FROM cur
FULL JOIN before b ON b.year = cur.year AND b.code = cur.code
