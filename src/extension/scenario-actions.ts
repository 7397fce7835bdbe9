/**
 * The panel's buttons on scenarios a profile did not measure: add the scenario to a profile spec
 * (the one the profile ran from, or one written from its targets beside the module), show it, and
 * run the spec.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../core/atomic-write';
import type { ProfileResult } from '../core/profile/result-schema';
import type { ScenarioName } from '../core/profile/scenario-names';
import {
  specFromResult,
  specLocation,
  withScenario,
  type ScenarioValues,
} from '../core/profile/spec-edit';

const SCENARIO_TITLE: Record<ScenarioName, string> = {
  markers: 'marker lines',
  startStorm: 'a start storm',
  density: 'a density scenario',
  memoryTimeline: 'a memory timeline',
};

/** What only the user knows: the lines the program prints, the arguments that keep it alive. */
async function askValues(scenario: ScenarioName): Promise<ScenarioValues | undefined> {
  if (scenario === 'markers') {
    const start = await vscode.window.showInputBox({
      title: 'Marker lines (1/2)',
      prompt: 'The line your program prints when its work starts (startup ends there)',
      value: 'Starting',
    });
    if (start === undefined) return undefined;
    const stop = await vscode.window.showInputBox({
      title: 'Marker lines (2/2)',
      prompt: 'The line it prints when its work is done (shutdown starts there)',
      value: 'Stopped',
    });
    return stop === undefined ? undefined : { markers: [start, stop] };
  }
  if (scenario === 'density') {
    const args = await vscode.window.showInputBox({
      title: 'Density (1/2)',
      prompt: 'Arguments that keep the program running while N instances are measured',
      value: 'sleep 10',
    });
    if (args === undefined) return undefined;
    const ready = await vscode.window.showInputBox({
      title: 'Density (2/2)',
      prompt: 'The line each instance prints once it is up',
      value: 'Starting',
    });
    return ready === undefined
      ? undefined
      : { densityArgs: args.split(/\s+/).filter(Boolean), readyMarker: ready };
  }
  return {};
}

function readSpec(file: string): Record<string, unknown> {
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new Error(`${file} is not a profile spec (not a JSON object).`);
  return data as Record<string, unknown>;
}

/** Adds the scenario, opens the spec and runs it; returns the spec's path (undefined if cancelled). */
export async function addScenarioAndRun(
  log: vscode.LogOutputChannel,
  result: ProfileResult,
  resultFile: string | undefined,
  scenario: ScenarioName,
): Promise<string | undefined> {
  const folder =
    vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ??
    (resultFile ? path.resolve(path.dirname(resultFile), '..', '..') : process.cwd());
  const file = specLocation(result, folder);
  const values = await askValues(scenario);
  if (!values) return undefined;
  const existed = existsSync(file);
  const spec = withScenario(
    existed ? readSpec(file) : specFromResult(result, path.dirname(file)),
    scenario,
    values,
  );
  writeFileAtomic(file, JSON.stringify(spec, null, 2) + '\n');
  log.info(`added ${scenario} to ${file}${existed ? '' : ' (a new spec from the profile)'}`);
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri, { preview: false });
  void vscode.window.showInformationMessage(
    `Added ${SCENARIO_TITLE[scenario]} to ${vscode.workspace.asRelativePath(uri)}; running it now.`,
  );
  await vscode.commands.executeCommand('wasmContainers.profile.runSpec', uri);
  return file;
}
