-- Every unit's cultivated land and basic farmland, with targets, for every year.
SELECT c.year, c.code, u.name,
       c.cultivated_mu, c.cultivated_target_mu, c.basic_farmland_mu, c.basic_farmland_target_mu,
       c.occupied_mu, c.supplemented_mu
FROM cultivated c
JOIN units u ON u.code = c.code AND u.level = '县级' AND u.parent_code = $city
ORDER BY c.year, c.code
