-- Council names as an earlier build spelt "LB" out: "London Borough of of Hackney" (said as
-- "LB of Hackney") and "Hackney London Borough of" ("Hackney LB"). The first to say a
-- council names it everywhere, the public catalogue included, so those recorded are put as
-- this build spells them: "London Borough of Hackney". Match keys leave kind words out, so
-- they stay as they are.
UPDATE councils SET name = 'London Borough of ' || substr(name, 22)
 WHERE name LIKE 'London Borough of of %';
UPDATE councils SET name = 'London Borough of ' || substr(name, 1, length(name) - 18)
 WHERE name LIKE '% London Borough of' AND name NOT LIKE 'London Borough of %';
