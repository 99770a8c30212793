-- The size of the store in force: places per level, and rows of the project and parcel lists.
SELECT
    (SELECT count(*) FROM areas WHERE level = 'province') AS provinces,
    (SELECT count(*) FROM areas WHERE level = 'city') AS cities,
    (SELECT count(*) FROM areas WHERE level = 'unit') AS units,
    (SELECT count(*) FROM projects) AS projects,
    (SELECT count(*) FROM parcels) AS parcels
