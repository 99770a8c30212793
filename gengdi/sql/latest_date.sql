-- The latest dated event (guarantee or disposal) of a city: the default month of the dashboard.
SELECT max(d) AS latest
FROM (
    SELECT max(p.guaranteed_date) AS d
    FROM projects p JOIN units u ON u.code = p.code AND u.parent_code = $city
    UNION ALL
    SELECT max(q.disposal_date)
    FROM parcels q JOIN units u ON u.code = q.code AND u.parent_code = $city
    UNION ALL
    SELECT make_date(max(c.year), 12, 31)
    FROM cultivated c JOIN units u ON u.code = c.code AND u.parent_code = $city
)
