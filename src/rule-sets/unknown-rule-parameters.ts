/**
 * Parameter names no rule family knows. Every family reads only its own names and ignores the rest (one rule set
 * serves them all), so a misspelt name (`confoundWindowHour`) would be stored and silently change nothing.
 * Checked when a rule set is defined only: a `RuleSetDefined` already in the log is read as it always was.
 */
import type { RuleValues } from '../../projections/machinery/projection.js';
import { closestNames } from './closest-names.js';
import type { RuleFamily, RuleSetProblem } from './rule-family.js';

export function unknownParameterProblems(parameters: RuleValues, families: readonly RuleFamily[]): RuleSetProblem[] {
  const problems: RuleSetProblem[] = [];
  const everyName = [...new Set(families.flatMap((f) => f.parameterNames))];
  for (const [name, value] of Object.entries(parameters)) {
    const family = families.find((f) => f.name === name);
    if (!family) {
      if (!everyName.includes(name)) problems.push({ field: name, reason: unknownAtTopLevel(name, families) });
      continue;
    }
    if (!isRecord(value)) {
      problems.push({ field: name, reason: `must be an object of ${name} rule parameters, e.g. {"${family.parameterNames[0]}": ...}` });
      continue;
    }
    for (const inner of Object.keys(value)) {
      if (!family.parameterNames.includes(inner)) problems.push({ field: `${name}.${inner}`, reason: unknownInFamily(inner, family, families) });
    }
  }
  return problems;
}

function unknownAtTopLevel(name: string, families: readonly RuleFamily[]): string {
  const candidates = [...families.flatMap((f) => f.parameterNames), ...families.map((f) => f.name)];
  const known = families.map((f) => `${f.name} (${f.parameterNames.join(', ')})`).join(', ');
  const example = families[0] ? `, e.g. {"${families[0].name}": {"${families[0].parameterNames[0]}": ...}}` : '';
  return `unknown rule parameter${suggestion(name, candidates)}; known: ${known}, each also under its family's name${example}`;
}

function unknownInFamily(name: string, family: RuleFamily, families: readonly RuleFamily[]): string {
  const owners = families.filter((f) => f.parameterNames.includes(name)).map((f) => f.name);
  const elsewhere = owners.length > 0 ? ` (it is a rule parameter of ${owners.join(' and ')})` : '';
  return `unknown rule parameter of ${family.name}${elsewhere}${suggestion(name, family.parameterNames)}; known: ${family.parameterNames.join(', ')}`;
}

function suggestion(name: string, candidates: readonly string[]): string {
  const close = closestNames(name, [...new Set(candidates)]);
  return close.length === 0 ? '' : ` (did you mean ${close.join(' or ')}?)`;
}

function isRecord(value: unknown): value is RuleValues {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
