// blockinfile: a block of lines between two marker lines, inserted,
// updated or removed the way Ansible's module does it (markers found by
// exact line; otherwise after the last insertafter match, before the last
// insertbefore match, or at the end), byte for byte. One awk run decides
// and writes.
#include "file_lib.h"
#include "fleetk8s/core/py_ere.h"
#include "registry.h"
#include "text_edit.h"

namespace fleetk8s::modules {

using pyre::RegexDialect;
using pyre::translate_python_regex;

namespace {

// Lines keep their "\n" (T[0..n-1]); fk_block is the marked block to put
// in ("" removes it). Writes ENVIRON["fk_out"] and exits 100 when the file
// changes (a missing file always does: Ansible creates it).
const char* kProgram = R"AWK(
BEGIN { RS = "\001" }
{ buf = buf (NR > 1 ? RS : "") $0 }
END {
  m = split(buf, P, "\n"); n = 0
  for (i = 1; i <= m; i++) { s = i < m ? P[i] "\n" : P[i]; if (s != "") T[n++] = s }
  m0 = ENVIRON["fk_m0"] "\n"; m1 = ENVIRON["fk_m1"] "\n"
  after = ENVIRON["fk_after"]; before = ENVIRON["fk_before"]; ins = ENVIRON["fk_ins"]
  n0 = -1; n1 = -1
  for (i = 0; i < n; i++) { if (T[i] == m0) n0 = i; if (T[i] == m1) n1 = i }
  if (n0 < 0 || n1 < 0) {
    n0 = -1
    if (after == "re" || before == "re") {
      for (i = 0; i < n; i++) if (T[i] ~ ins) n0 = i
      if (n0 < 0) n0 = n; else if (after == "re") n0++
    } else if (before == "BOF") n0 = 0
    else n0 = n
  } else {
    lo = n0 < n1 ? n0 : n1; hi = n0 < n1 ? n1 : n0
    for (i = hi + 1; i < n; i++) T[lo + i - hi - 1] = T[i]
    n -= hi - lo + 1; n0 = lo
  }
  if (n0 > 0 && T[n0 - 1] !~ /\n$/) T[n0 - 1] = T[n0 - 1] "\n"
  r = ""
  for (i = 0; i < n0; i++) r = r T[i]
  r = r ENVIRON["fk_block"]
  for (i = n0; i < n; i++) r = r T[i]
  changed = ENVIRON["fk_exists"] != "1" || r != buf
  out = ENVIRON["fk_out"]
  if (out == "-") printf "%s", r
  else if (changed && out != "") { printf "%s", r > out; close(out) }
  exit changed ? 100 : 0
}
)AWK";

std::string env(const std::string& name, const std::string& value) { return name + "=" + shell_quote(value) + " "; }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
  return s;
}

class BlockinfileModule final : public Module {
 public:
  std::string_view name() const override { return "blockinfile"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    auto made = make_script(args, mode);
    if (!made) return made.error().context("blockinfile");
    return made;
  }

 private:
  static Result<std::string> make_script(const Value::Object& args, const RunMode& mode) {
    auto common = text_file_args(args, true);
    if (!common) return common.error();
    const std::string& path = common->path;
    const std::string& state = common->state;
    if (has_arg(args, "insertafter") && has_arg(args, "insertbefore")) {
      return Error(ErrorKind::kInvalidInput, "parameters are mutually exclusive: insertbefore|insertafter");
    }
    const std::string marker = arg_string(args, "marker", "# {mark} ANSIBLE MANAGED BLOCK");
    const std::string m0 = replace_all(marker, "{mark}", arg_string(args, "marker_begin", "BEGIN"));
    const std::string m1 = replace_all(marker, "{mark}", arg_string(args, "marker_end", "END"));
    std::string block = arg_string(args, "block", arg_string(args, "content"));
    std::string marked;
    if (state == "present" && !block.empty()) {
      if (block.back() != '\n') block += '\n';
      marked = m0 + "\n" + block + m1 + "\n";
    }

    // Ansible: insertafter is a regex unless EOF; insertbefore unless BOF.
    std::string vars = env("fk_m0", m0) + env("fk_m1", m1) + env("fk_block", marked);
    const std::string after = arg_string(args, "insertafter"), before = arg_string(args, "insertbefore");
    const bool after_re = has_arg(args, "insertafter") && after != "EOF";
    const bool before_re = has_arg(args, "insertbefore") && before != "BOF";
    if (after_re || before_re) {
      auto ins = translate_python_regex(after_re ? after : before, RegexDialect::kAwkLine);
      if (!ins) return ins.error().context(after_re ? "insertafter" : "insertbefore");
      vars += env("fk_ins", ins->text);
    }
    vars += env("fk_after", after_re ? "re" : after) + env("fk_before", before_re ? "re" : before);

    // Ansible fails on a missing file even for state=absent, unless create.
    const bool create = arg_bool(args, "create", false);
    std::string s = kScriptHead;
    if (state == "absent" && create) s = "if [ ! -e " + shell_quote(path) + " ]; then exit 0; fi\n";
    s += open_text_snippet(path, create, "Path $fk_path does not exist !", mode);
    s += "if [ -e \"$fk_dest\" ]; then fk_exists=1; else fk_exists=0; fi\n";
    s += rewrite_snippet(vars + "fk_exists=$fk_exists LC_ALL=C awk " + shell_quote(kProgram) + " < \"$fk_src\"", args, mode,
                         arg_bool(args, "backup", false));
    const std::string attrs = attributes_snippet("fk_dest", args, mode);
    s += mode.check ? when_exists("[ -e \"$fk_dest\" ]", attrs) : attrs;
    return s + kExitByChange;
  }
};

}  // namespace

std::unique_ptr<Module> make_blockinfile_module() { return std::make_unique<BlockinfileModule>(); }

}  // namespace fleetk8s::modules
