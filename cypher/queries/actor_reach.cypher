// name: actor_reach
// title: Actors and the hosts they can reach
// purpose: Which actors can reach which hosts of the regime's workers, and how: by pressing the host (PRESSURES) or through a measure they take that targets it (TAKES_MEASURE then TARGETS).
// param: regime (string, default "kp"): id of the regime's node (its hosts are the countries it sends workers to)
// param: actor (string, default null): one actor's id; null for every actor
// note: Measures that target only sectors or organisations are listed by measures_and_targets.
// note: Written with fixed-length patterns: FalkorDB can list the relationships of a variable-length path backwards once the path is passed on with WITH.
MATCH (regime:Entity {id: $regime})-[:SENDS_WORKERS]->(host:Entity)
OPTIONAL MATCH (presser:Entity)-[press:PRESSURES]->(host)
WHERE $actor IS NULL OR presser.id = $actor
WITH host,
     collect(CASE WHEN press IS NULL THEN null ELSE
       {actor: presser.id, actor_name: presser.name, via: 'pressures', measure: null,
        relations: [press.id], assumed: size(coalesce(press.assumptions, [])) > 0} END) AS direct
OPTIONAL MATCH (taker:Entity)-[take:TAKES_MEASURE]->(m:Entity)-[aim:TARGETS]->(host)
WHERE $actor IS NULL OR taker.id = $actor
WITH host, direct,
     collect(CASE WHEN aim IS NULL THEN null ELSE
       {actor: taker.id, actor_name: taker.name, via: 'measure', measure: m.id,
        relations: [take.id, aim.id],
        assumed: size(coalesce(take.assumptions, [])) + size(coalesce(aim.assumptions, [])) > 0}
       END) AS measured
UNWIND direct + measured AS row
RETURN row.actor AS actor, row.actor_name AS actor_name, host.id AS host,
       host.name AS host_name, row.via AS via, row.measure AS measure,
       row.relations AS relations, row.assumed AS assumed
ORDER BY actor, host, via, measure
