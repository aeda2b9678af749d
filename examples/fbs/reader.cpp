// Reads .shep buffers with flatc's generated C++ code and prints each one as canonical JSON.
//
//   flatc --cpp -o gen schema/playbook.fbs schema/task.fbs
//   g++ -std=c++17 -O1 -I gen -I <flatbuffers include dir> examples/fbs/reader.cpp -o shep-reader
//   ./shep-reader site.shep [more.shep ...]
//   ./shep-reader --verify-only site.shep      # exit status only: 0 when every file verifies
//
// For each file it first runs the generated verifier with the default options (max_depth 64,
// max_tables 1,000,000): never read an unverified buffer that came from elsewhere. A rejected file
// prints {"error": "..."} on its line of stdout, a message on stderr, and the exit status is 1.
// A verified file prints one line: the File table as canonical JSON (examples/fbs/README.md), every
// field of every table, using only the generated accessors.
//
// tests/conformance compiles and runs this file and compares its output, field by field, with what
// shep itself decodes from the same buffer.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "playbook_generated.h"  // includes task_generated.h

namespace fbs = shep::fbs;
using flatbuffers::Vector;
using flatbuffers::Offset;

// A minimal JSON writer: key() and the value functions handle the commas.
class Json {
 public:
  std::string text;

  void key(const char *name) {
    comma();
    text += '"';
    text += name;
    text += "\":";
    need_comma_ = false;
  }
  void begin_object() { comma(); text += '{'; need_comma_ = false; }
  void end_object() { text += '}'; need_comma_ = true; }
  void begin_array() { comma(); text += '['; need_comma_ = false; }
  void end_array() { text += ']'; need_comma_ = true; }
  void null() { comma(); text += "null"; need_comma_ = true; }
  void boolean(bool value) { comma(); text += value ? "true" : "false"; need_comma_ = true; }
  void integer(int64_t value) { comma(); text += std::to_string(value); need_comma_ = true; }
  void unsigned_integer(uint64_t value) { comma(); text += std::to_string(value); need_comma_ = true; }

  // The shortest text that reads back as the same double, always with a '.' or an exponent so that
  // a JSON reader sees a float; -0.0 keeps its sign; NaN and the infinities as Python's json spells them.
  void number(double value) {
    comma();
    need_comma_ = true;
    if (std::isnan(value)) { text += "NaN"; return; }
    if (std::isinf(value)) { text += value < 0 ? "-Infinity" : "Infinity"; return; }
    char buf[64];
    auto result = std::to_chars(buf, buf + sizeof buf, value);
    std::string digits(buf, result.ptr);
    if (digits.find_first_of(".e") == std::string::npos) digits += ".0";
    text += digits;
  }

  // The bytes of a FlatBuffers string, escaped as JSON needs; other bytes are copied unchanged (the
  // schema says strings are UTF-8; this reader does not check it).
  void string(const flatbuffers::String *value) {
    if (!value) { null(); return; }
    comma();
    need_comma_ = true;
    text += '"';
    for (unsigned char c : value->string_view()) {
      if (c == '"') text += "\\\"";
      else if (c == '\\') text += "\\\\";
      else if (c < 0x20) {
        char esc[8];
        std::snprintf(esc, sizeof esc, "\\u%04x", c);
        text += esc;
      } else {
        text += static_cast<char>(c);
      }
    }
    text += '"';
  }

 private:
  bool need_comma_ = false;
  void comma() {
    if (need_comma_) text += ',';
  }
};

void write_span(Json &out, const fbs::Span *span) {
  if (!span) { out.null(); return; }
  out.begin_object();
  out.key("line"); out.unsigned_integer(span->line());
  out.key("col"); out.unsigned_integer(span->col());
  out.key("end_line"); out.unsigned_integer(span->end_line());
  out.key("end_col"); out.unsigned_integer(span->end_col());
  out.end_object();
}

// An absent vector prints as [], like an empty one.
void write_bytes(Json &out, const Vector<uint8_t> *bytes) {
  out.begin_array();
  if (bytes)
    for (uint8_t b : *bytes) out.unsigned_integer(b);
  out.end_array();
}

void write_strings(Json &out, const Vector<Offset<flatbuffers::String>> *strings) {
  out.begin_array();
  if (strings)
    for (const flatbuffers::String *s : *strings) out.string(s);
  out.end_array();
}

void write_spans(Json &out, const Vector<const fbs::Span *> *spans) {
  out.begin_array();
  if (spans)
    for (const fbs::Span *span : *spans) write_span(out, span);
  out.end_array();
}

void write_var(Json &out, const fbs::Var *var);

void write_vars(Json &out, const Vector<Offset<fbs::Var>> *vars) {
  out.begin_array();
  if (vars)
    for (const fbs::Var *var : *vars) write_var(out, var);
  out.end_array();
}

// A YAML value (VarKind says which fields hold it). Enums print as their numbers.
void write_var(Json &out, const fbs::Var *var) {
  if (!var) { out.null(); return; }
  out.begin_object();
  out.key("kind"); out.unsigned_integer(static_cast<uint8_t>(var->kind()));
  out.key("key"); out.string(var->key());
  out.key("key_var"); write_var(out, var->key_var());
  out.key("bool_value"); out.boolean(var->bool_value());
  out.key("int_value"); out.integer(var->int_value());
  out.key("float_value"); out.number(var->float_value());
  out.key("str_value"); out.string(var->str_value());
  out.key("bytes_value"); write_bytes(out, var->bytes_value());
  out.key("items"); write_vars(out, var->items());
  out.end_object();
}

void write_task(Json &out, const fbs::Task *task);

void write_tasks(Json &out, const Vector<Offset<fbs::Task>> *tasks) {
  out.begin_array();
  if (tasks)
    for (const fbs::Task *task : *tasks) write_task(out, task);
  out.end_array();
}

// Every field of Task, in schema order.
void write_task(Json &out, const fbs::Task *t) {
  out.begin_object();
  out.key("path"); out.string(t->path());
  out.key("span"); write_span(out, t->span());
  out.key("doc_path"); out.string(t->doc_path());
  out.key("keys"); write_strings(out, t->keys());
  out.key("key_spans"); write_spans(out, t->key_spans());
  out.key("is_block"); out.boolean(t->is_block());
  out.key("is_handler"); out.boolean(t->is_handler());
  out.key("malformed"); out.boolean(t->malformed());
  out.key("value"); write_var(out, t->value());
  out.key("action"); out.string(t->action());
  out.key("action_key"); out.string(t->action_key());
  out.key("args"); write_vars(out, t->args());
  out.key("free_form_args"); out.string(t->free_form_args());
  out.key("variable_args"); out.string(t->variable_args());
  out.key("error"); out.string(t->error());
  out.key("unsafe_strings"); out.unsigned_integer(t->unsafe_strings());
  out.key("name"); write_var(out, t->name());
  out.key("any_errors_fatal"); write_var(out, t->any_errors_fatal());
  out.key("become_keyword"); write_var(out, t->become_keyword());
  out.key("become_exe"); write_var(out, t->become_exe());
  out.key("become_flags"); write_var(out, t->become_flags());
  out.key("become_method"); write_var(out, t->become_method());
  out.key("become_user"); write_var(out, t->become_user());
  out.key("check_mode"); write_var(out, t->check_mode());
  out.key("connection"); write_var(out, t->connection());
  out.key("debugger_keyword"); write_var(out, t->debugger_keyword());
  out.key("diff"); write_var(out, t->diff());
  out.key("environment"); write_var(out, t->environment());
  out.key("ignore_errors"); write_var(out, t->ignore_errors());
  out.key("ignore_unreachable"); write_var(out, t->ignore_unreachable());
  out.key("module_defaults"); write_var(out, t->module_defaults());
  out.key("no_log"); write_var(out, t->no_log());
  out.key("port"); write_var(out, t->port());
  out.key("remote_user"); write_var(out, t->remote_user());
  out.key("run_once"); write_var(out, t->run_once());
  out.key("tags"); write_var(out, t->tags());
  out.key("throttle"); write_var(out, t->throttle());
  out.key("timeout"); write_var(out, t->timeout());
  out.key("vars"); write_var(out, t->vars());
  out.key("collections"); write_var(out, t->collections());
  out.key("when_keyword"); write_var(out, t->when_keyword());
  out.key("delegate_to"); write_var(out, t->delegate_to());
  out.key("delegate_facts"); write_var(out, t->delegate_facts());
  out.key("notify_keyword"); write_var(out, t->notify_keyword());
  out.key("async_keyword"); write_var(out, t->async_keyword());
  out.key("async_val"); write_var(out, t->async_val());
  out.key("changed_when"); write_var(out, t->changed_when());
  out.key("delay"); write_var(out, t->delay());
  out.key("failed_when"); write_var(out, t->failed_when());
  out.key("loop_keyword"); write_var(out, t->loop_keyword());
  out.key("loop_control"); write_var(out, t->loop_control());
  out.key("loop_with"); out.string(t->loop_with());
  out.key("loop_with_value"); write_var(out, t->loop_with_value());
  out.key("poll"); write_var(out, t->poll());
  out.key("register_keyword"); write_var(out, t->register_keyword());
  out.key("retries"); write_var(out, t->retries());
  out.key("until_keyword"); write_var(out, t->until_keyword());
  out.key("listen"); write_var(out, t->listen());
  out.key("local_action"); write_var(out, t->local_action());
  out.key("static_keyword"); write_var(out, t->static_keyword());
  out.key("block_tasks"); write_tasks(out, t->block_tasks());
  out.key("rescue_tasks"); write_tasks(out, t->rescue_tasks());
  out.key("always_tasks"); write_tasks(out, t->always_tasks());
  out.key("extra"); write_vars(out, t->extra());
  out.key("resolved_action"); out.string(t->resolved_action());
  out.key("resolution"); out.unsigned_integer(t->resolution());
  out.key("arg_keys"); write_strings(out, t->arg_keys());
  out.key("arg_spans"); write_spans(out, t->arg_spans());
  out.end_object();
}

// Every field of Play, in schema order.
void write_play(Json &out, const fbs::Play *p) {
  out.begin_object();
  out.key("path"); out.string(p->path());
  out.key("span"); write_span(out, p->span());
  out.key("doc_path"); out.string(p->doc_path());
  out.key("keys"); write_strings(out, p->keys());
  out.key("key_spans"); write_spans(out, p->key_spans());
  out.key("import_action"); out.string(p->import_action());
  out.key("unsafe_strings"); out.unsigned_integer(p->unsafe_strings());
  out.key("import_playbook"); write_var(out, p->import_playbook());
  out.key("name"); write_var(out, p->name());
  out.key("any_errors_fatal"); write_var(out, p->any_errors_fatal());
  out.key("become_keyword"); write_var(out, p->become_keyword());
  out.key("become_exe"); write_var(out, p->become_exe());
  out.key("become_flags"); write_var(out, p->become_flags());
  out.key("become_method"); write_var(out, p->become_method());
  out.key("become_user"); write_var(out, p->become_user());
  out.key("check_mode"); write_var(out, p->check_mode());
  out.key("connection"); write_var(out, p->connection());
  out.key("debugger_keyword"); write_var(out, p->debugger_keyword());
  out.key("diff"); write_var(out, p->diff());
  out.key("environment"); write_var(out, p->environment());
  out.key("ignore_errors"); write_var(out, p->ignore_errors());
  out.key("ignore_unreachable"); write_var(out, p->ignore_unreachable());
  out.key("module_defaults"); write_var(out, p->module_defaults());
  out.key("no_log"); write_var(out, p->no_log());
  out.key("port"); write_var(out, p->port());
  out.key("remote_user"); write_var(out, p->remote_user());
  out.key("run_once"); write_var(out, p->run_once());
  out.key("tags"); write_var(out, p->tags());
  out.key("throttle"); write_var(out, p->throttle());
  out.key("timeout"); write_var(out, p->timeout());
  out.key("vars"); write_var(out, p->vars());
  out.key("collections"); write_var(out, p->collections());
  out.key("when_keyword"); write_var(out, p->when_keyword());
  out.key("hosts"); write_var(out, p->hosts());
  out.key("gather_facts"); write_var(out, p->gather_facts());
  out.key("gather_subset"); write_var(out, p->gather_subset());
  out.key("gather_timeout"); write_var(out, p->gather_timeout());
  out.key("fact_path"); write_var(out, p->fact_path());
  out.key("force_handlers"); write_var(out, p->force_handlers());
  out.key("max_fail_percentage"); write_var(out, p->max_fail_percentage());
  out.key("order"); write_var(out, p->order());
  out.key("serial"); write_var(out, p->serial());
  out.key("strategy"); write_var(out, p->strategy());
  out.key("roles"); write_var(out, p->roles());
  out.key("vars_files"); write_var(out, p->vars_files());
  out.key("vars_prompt"); write_var(out, p->vars_prompt());
  out.key("user"); write_var(out, p->user());
  out.key("delegate_to"); write_var(out, p->delegate_to());
  out.key("pre_tasks"); write_tasks(out, p->pre_tasks());
  out.key("tasks"); write_tasks(out, p->tasks());
  out.key("post_tasks"); write_tasks(out, p->post_tasks());
  out.key("handlers"); write_tasks(out, p->handlers());
  out.key("extra"); write_vars(out, p->extra());
  out.end_object();
}

void write_diagnostic(Json &out, const fbs::Diagnostic *d) {
  out.begin_object();
  out.key("code"); out.string(d->code());
  out.key("name"); out.string(d->name());
  out.key("severity"); out.unsigned_integer(static_cast<uint8_t>(d->severity()));
  out.key("message"); out.string(d->message());
  out.key("path"); out.string(d->path());
  out.key("span"); write_span(out, d->span());
  out.key("hint"); out.string(d->hint());
  out.end_object();
}

void write_file(Json &out, const fbs::File *file) {
  out.begin_object();
  out.key("schema_version"); out.unsigned_integer(file->schema_version());
  out.key("kind"); out.unsigned_integer(static_cast<uint8_t>(file->kind()));
  out.key("path"); out.string(file->path());
  out.key("playbook");
  if (const fbs::Playbook *playbook = file->playbook()) {
    out.begin_object();
    out.key("plays");
    out.begin_array();
    if (playbook->plays())
      for (const fbs::Play *play : *playbook->plays()) write_play(out, play);
    out.end_array();
    out.end_object();
  } else {
    out.null();
  }
  out.key("task_list");
  if (const fbs::TaskList *task_list = file->task_list()) {
    out.begin_object();
    out.key("tasks"); write_tasks(out, task_list->tasks());
    out.end_object();
  } else {
    out.null();
  }
  out.key("diagnostics");
  out.begin_array();
  if (file->diagnostics())
    for (const fbs::Diagnostic *d : *file->diagnostics()) write_diagnostic(out, d);
  out.end_array();
  out.key("path_bytes"); write_bytes(out, file->path_bytes());
  out.end_object();
}

// One input: its line of output, or an error (false).
bool read_one(const char *name, bool verify_only, std::string &line) {
  std::ifstream in(name, std::ios::binary);
  if (!in) {
    line = "cannot open the file";
    return false;
  }
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Default options: max_depth 64, max_tables 1,000,000, alignment checked.
  flatbuffers::Verifier verifier(data.data(), data.size());
  if (!fbs::VerifyFileBuffer(verifier)) {
    line = "the FlatBuffers verifier rejected the buffer (not a .shep file, corrupt, nested deeper than "
           "64 tables or more than 1,000,000 tables)";
    return false;
  }
  if (verify_only) return true;
  Json out;
  write_file(out, fbs::GetFile(data.data()));
  line = std::move(out.text);
  return true;
}

int main(int argc, char **argv) {
  bool verify_only = argc > 1 && std::string(argv[1]) == "--verify-only";
  int first = verify_only ? 2 : 1;
  if (argc <= first) {
    std::fprintf(stderr, "usage: %s [--verify-only] FILE.shep...\n", argv[0]);
    return 2;
  }
  int status = 0;
  for (int i = first; i < argc; ++i) {
    std::string line;
    if (!read_one(argv[i], verify_only, line)) {
      std::fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i], line.c_str());
      Json error;
      error.begin_object();
      error.key("error");
      error.text += '"' + line + '"';
      error.end_object();
      line = error.text;
      status = 1;
    }
    if (verify_only) continue;
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return status;
}
