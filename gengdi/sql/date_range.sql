-- The first year and the latest dated event of a city: the months the dashboard offers.
SELECT
    least(
        (SELECT min(p.year) FROM projects p JOIN units u ON u.code = p.code AND u.parent_code = $city),
        (SELECT min(q.task_year) FROM parcels q JOIN units u ON u.code = q.code AND u.parent_code = $city),
        (SELECT min(c.year) FROM cultivated c JOIN units u ON u.code = c.code AND u.parent_code = $city)
    ) AS first_year,
    greatest(
        (SELECT max(p.guaranteed_date) FROM projects p JOIN units u ON u.code = p.code AND u.parent_code = $city),
        (SELECT max(q.disposal_date) FROM parcels q JOIN units u ON u.code = q.code AND u.parent_code = $city),
        (SELECT make_date(max(c.year), 12, 31) FROM cultivated c JOIN units u ON u.code = c.code AND u.parent_code = $city)
    ) AS latest
