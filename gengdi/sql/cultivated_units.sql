-- Each unit's cultivated land at $year, with last year's area for the change.
SELECT
    u.code,
    cur.cultivated_mu,
    cur.cultivated_target_mu,
    cur.basic_farmland_mu,
    cur.basic_farmland_target_mu,
    prev.cultivated_mu AS prev_cultivated_mu
FROM units u
LEFT JOIN cultivated cur ON cur.code = u.code AND cur.year = $year
LEFT JOIN cultivated prev ON prev.code = u.code AND prev.year = $year - 1
WHERE u.level = '县级' AND u.parent_code = $city
ORDER BY u.code
