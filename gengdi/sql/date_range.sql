-- The first year and the latest dated event of a scope: the months the dashboard offers.
SELECT
    least(
        (SELECT min(t.year) FROM projects t WHERE ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province) AND t.city IS NOT NULL),
        (SELECT min(t.task_year) FROM parcels t WHERE ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province) AND t.city IS NOT NULL),
        (SELECT min(t.year) FROM cultivated t WHERE ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province) AND t.city IS NOT NULL)
    ) AS first_year,
    greatest(
        (SELECT max(t.guaranteed_date) FROM projects t WHERE ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province) AND t.city IS NOT NULL),
        (SELECT max(t.disposal_date) FROM parcels t WHERE ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province) AND t.city IS NOT NULL),
        (SELECT make_date(max(t.year), 12, 31) FROM cultivated t WHERE ($city IS NULL OR t.city = $city) AND ($province IS NULL OR t.province = $province) AND t.city IS NOT NULL)
    ) AS latest
