// Reads .shep buffers with flatc's generated TypeScript code and prints each one as canonical JSON.
//
//   cd examples/fbs && npm ci
//   flatc --ts --gen-all -o gen ../../schema/playbook.fbs
//   npx tsc -p . && node out/reader.js site.shep [more.shep ...]
//
// One line per file: the File table as canonical JSON (see README.md), every field of every table,
// read through the generated accessors. The TypeScript runtime has no verifier: it only checks the
// "SHEP" identifier here. Read buffers from elsewhere only after a verifier (C++ VerifyFileBuffer, as
// reader.cpp does) has accepted them. A file that cannot be read prints
// {"error": "..."} on its line and a message on stderr, and the exit status is 1.
//
// tests/conformance compiles and runs this file and compares its output, field by field, with what
// shep itself decodes from the same buffer.

import { readFileSync } from 'node:fs';
import * as flatbuffers from 'flatbuffers';
import { Diagnostic, File, Play, Span, Task, Var } from './gen/shep/fbs.js';

type Json = string;  // JSON text, built by hand: JSON.stringify has no bigint, -0.0, NaN or Infinity.

const str = (value: string | null): Json => (value === null ? 'null' : JSON.stringify(value));
const bool = (value: boolean): Json => (value ? 'true' : 'false');
const int = (value: number | bigint): Json => value.toString();

// The shortest text that reads back as the same double, always with a '.' or an exponent; -0.0 keeps
// its sign; NaN and the infinities as Python's json module spells them.
function float(value: number): Json {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

function object(fields: [string, Json][]): Json {
  return `{${fields.map(([name, value]) => `${JSON.stringify(name)}:${value}`).join(',')}}`;
}

// An absent vector prints as [], like an empty one.
function array(length: number, item: (index: number) => Json): Json {
  const items: Json[] = [];
  for (let i = 0; i < length; i++) items.push(item(i));
  return `[${items.join(',')}]`;
}

function span(value: Span | null): Json {
  if (value === null) return 'null';
  return object([
    ['line', int(value.line())],
    ['col', int(value.col())],
    ['end_line', int(value.endLine())],
    ['end_col', int(value.endCol())],
  ]);
}

function bytes(value: Uint8Array | null): Json {
  return `[${value === null ? '' : Array.from(value).join(',')}]`;
}

// A YAML value (VarKind says which fields hold it). Enums print as their numbers.
function variable(v: Var | null): Json {
  if (v === null) return 'null';
  return object([
    ['kind', int(v.kind())],
    ['key', str(v.key())],
    ['key_var', variable(v.keyVar())],
    ['bool_value', bool(v.boolValue())],
    ['int_value', int(v.intValue())],
    ['float_value', float(v.floatValue())],
    ['str_value', str(v.strValue())],
    ['bytes_value', bytes(v.bytesValueArray())],
    ['items', array(v.itemsLength(), (i) => variable(v.items(i)))],
  ]);
}

const tasks = (length: number, at: (index: number) => Task | null): Json => array(length, (i) => task(at(i)!));

// Every field of Task, in schema order.
function task(t: Task): Json {
  return object([
    ['path', str(t.path())],
    ['span', span(t.span())],
    ['doc_path', str(t.docPath())],
    ['keys', array(t.keysLength(), (i) => str(t.keys(i)))],
    ['key_spans', array(t.keySpansLength(), (i) => span(t.keySpans(i)))],
    ['is_block', bool(t.isBlock())],
    ['is_handler', bool(t.isHandler())],
    ['malformed', bool(t.malformed())],
    ['value', variable(t.value())],
    ['action', str(t.action())],
    ['action_key', str(t.actionKey())],
    ['args', array(t.argsLength(), (i) => variable(t.args(i)))],
    ['free_form_args', str(t.freeFormArgs())],
    ['variable_args', str(t.variableArgs())],
    ['error', str(t.error())],
    ['unsafe_strings', int(t.unsafeStrings())],
    ['name', variable(t.name())],
    ['any_errors_fatal', variable(t.anyErrorsFatal())],
    ['become_keyword', variable(t.becomeKeyword())],
    ['become_exe', variable(t.becomeExe())],
    ['become_flags', variable(t.becomeFlags())],
    ['become_method', variable(t.becomeMethod())],
    ['become_user', variable(t.becomeUser())],
    ['check_mode', variable(t.checkMode())],
    ['connection', variable(t.connection())],
    ['debugger_keyword', variable(t.debuggerKeyword())],
    ['diff', variable(t.diff())],
    ['environment', variable(t.environment())],
    ['ignore_errors', variable(t.ignoreErrors())],
    ['ignore_unreachable', variable(t.ignoreUnreachable())],
    ['module_defaults', variable(t.moduleDefaults())],
    ['no_log', variable(t.noLog())],
    ['port', variable(t.port())],
    ['remote_user', variable(t.remoteUser())],
    ['run_once', variable(t.runOnce())],
    ['tags', variable(t.tags())],
    ['throttle', variable(t.throttle())],
    ['timeout', variable(t.timeout())],
    ['vars', variable(t.vars())],
    ['collections', variable(t.collections())],
    ['when_keyword', variable(t.whenKeyword())],
    ['delegate_to', variable(t.delegateTo())],
    ['delegate_facts', variable(t.delegateFacts())],
    ['notify_keyword', variable(t.notifyKeyword())],
    ['async_keyword', variable(t.asyncKeyword())],
    ['async_val', variable(t.asyncVal())],
    ['changed_when', variable(t.changedWhen())],
    ['delay', variable(t.delay())],
    ['failed_when', variable(t.failedWhen())],
    ['loop_keyword', variable(t.loopKeyword())],
    ['loop_control', variable(t.loopControl())],
    ['loop_with', str(t.loopWith())],
    ['loop_with_value', variable(t.loopWithValue())],
    ['poll', variable(t.poll())],
    ['register_keyword', variable(t.registerKeyword())],
    ['retries', variable(t.retries())],
    ['until_keyword', variable(t.untilKeyword())],
    ['listen', variable(t.listen())],
    ['local_action', variable(t.localAction())],
    ['static_keyword', variable(t.staticKeyword())],
    ['block_tasks', tasks(t.blockTasksLength(), (i) => t.blockTasks(i))],
    ['rescue_tasks', tasks(t.rescueTasksLength(), (i) => t.rescueTasks(i))],
    ['always_tasks', tasks(t.alwaysTasksLength(), (i) => t.alwaysTasks(i))],
    ['extra', array(t.extraLength(), (i) => variable(t.extra(i)))],
    ['resolved_action', str(t.resolvedAction())],
    ['resolution', int(t.resolution())],
    ['arg_keys', array(t.argKeysLength(), (i) => str(t.argKeys(i)))],
    ['arg_spans', array(t.argSpansLength(), (i) => span(t.argSpans(i)))],
  ]);
}

// Every field of Play, in schema order.
function play(p: Play): Json {
  return object([
    ['path', str(p.path())],
    ['span', span(p.span())],
    ['doc_path', str(p.docPath())],
    ['keys', array(p.keysLength(), (i) => str(p.keys(i)))],
    ['key_spans', array(p.keySpansLength(), (i) => span(p.keySpans(i)))],
    ['import_action', str(p.importAction())],
    ['unsafe_strings', int(p.unsafeStrings())],
    ['import_playbook', variable(p.importPlaybook())],
    ['name', variable(p.name())],
    ['any_errors_fatal', variable(p.anyErrorsFatal())],
    ['become_keyword', variable(p.becomeKeyword())],
    ['become_exe', variable(p.becomeExe())],
    ['become_flags', variable(p.becomeFlags())],
    ['become_method', variable(p.becomeMethod())],
    ['become_user', variable(p.becomeUser())],
    ['check_mode', variable(p.checkMode())],
    ['connection', variable(p.connection())],
    ['debugger_keyword', variable(p.debuggerKeyword())],
    ['diff', variable(p.diff())],
    ['environment', variable(p.environment())],
    ['ignore_errors', variable(p.ignoreErrors())],
    ['ignore_unreachable', variable(p.ignoreUnreachable())],
    ['module_defaults', variable(p.moduleDefaults())],
    ['no_log', variable(p.noLog())],
    ['port', variable(p.port())],
    ['remote_user', variable(p.remoteUser())],
    ['run_once', variable(p.runOnce())],
    ['tags', variable(p.tags())],
    ['throttle', variable(p.throttle())],
    ['timeout', variable(p.timeout())],
    ['vars', variable(p.vars())],
    ['collections', variable(p.collections())],
    ['when_keyword', variable(p.whenKeyword())],
    ['hosts', variable(p.hosts())],
    ['gather_facts', variable(p.gatherFacts())],
    ['gather_subset', variable(p.gatherSubset())],
    ['gather_timeout', variable(p.gatherTimeout())],
    ['fact_path', variable(p.factPath())],
    ['force_handlers', variable(p.forceHandlers())],
    ['max_fail_percentage', variable(p.maxFailPercentage())],
    ['order', variable(p.order())],
    ['serial', variable(p.serial())],
    ['strategy', variable(p.strategy())],
    ['roles', variable(p.roles())],
    ['vars_files', variable(p.varsFiles())],
    ['vars_prompt', variable(p.varsPrompt())],
    ['user', variable(p.user())],
    ['delegate_to', variable(p.delegateTo())],
    ['pre_tasks', tasks(p.preTasksLength(), (i) => p.preTasks(i))],
    ['tasks', tasks(p.tasksLength(), (i) => p.tasks(i))],
    ['post_tasks', tasks(p.postTasksLength(), (i) => p.postTasks(i))],
    ['handlers', tasks(p.handlersLength(), (i) => p.handlers(i))],
    ['extra', array(p.extraLength(), (i) => variable(p.extra(i)))],
  ]);
}

function diagnostic(d: Diagnostic): Json {
  return object([
    ['code', str(d.code())],
    ['name', str(d.name())],
    ['severity', int(d.severity())],
    ['message', str(d.message())],
    ['path', str(d.path())],
    ['span', span(d.span())],
    ['hint', str(d.hint())],
  ]);
}

function file(f: File): Json {
  const playbook = f.playbook();
  const taskList = f.taskList();
  return object([
    ['schema_version', int(f.schemaVersion())],
    ['kind', int(f.kind())],
    ['path', str(f.path())],
    ['playbook', playbook === null ? 'null' : object([
      ['plays', array(playbook.playsLength(), (i) => play(playbook.plays(i)!))],
    ])],
    ['task_list', taskList === null ? 'null' : object([
      ['tasks', tasks(taskList.tasksLength(), (i) => taskList.tasks(i))],
    ])],
    ['diagnostics', array(f.diagnosticsLength(), (i) => diagnostic(f.diagnostics(i)!))],
    ['path_bytes', bytes(f.pathBytesArray())],
  ]);
}

function readOne(name: string): Json {
  const bb = new flatbuffers.ByteBuffer(new Uint8Array(readFileSync(name)));
  if (bb.capacity() < 8 || !File.bufferHasIdentifier(bb)) {
    throw new Error('not a .shep buffer (no SHEP file identifier)');
  }
  return file(File.getRootAsFile(bb));
}

const inputs = process.argv.slice(2);
if (inputs.length === 0) {
  process.stderr.write('usage: node reader.js FILE.shep...\n');
  process.exit(2);
}
const lines: string[] = [];
for (const name of inputs) {
  try {
    lines.push(readOne(name));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`reader.js: ${name}: ${message}\n`);
    lines.push(object([['error', JSON.stringify(message)]]));
    process.exitCode = 1;
  }
}
process.stdout.write(lines.join('\n') + '\n');
