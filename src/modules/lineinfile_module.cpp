// lineinfile: one line in a text file, present or absent, placed the way
// Ansible's module places it (the last regexp match is replaced; otherwise
// the line goes after the last insertafter match, before the last
// insertbefore match, or at the end), with Ansible's corner cases kept so
// the file comes out byte for byte the same. One awk run decides and writes.
#include "file_lib.h"
#include "fleetk8s/core/py_ere.h"
#include "registry.h"
#include "text_edit.h"

namespace fleetk8s::modules {

using pyre::RegexDialect;
using pyre::translate_python_regex;
using pyre::translate_python_template;
using pyre::sed_delimiter;

namespace {

// The file arrives whole (RS never matches), is split into lines that keep
// their "\n" (T[0..n-1], like Python's readlines()), edited, and written
// to ENVIRON["fk_out"] when it changed. Exits 100 when it changed.
// With fk_backrefs=1 the input comes from sed, which put before each
// matching line a "\002" line holding the expanded `line` ("\004" for "\n").
const char* kProgram = R"AWK(
function bare(s) { sub(/[\r\n]+$/, "", s); return s }
function put(at, s,   k) { for (k = n; k > at; k--) T[k] = T[k - 1]; T[at] = s; n++ }
function hit(i) {
  if (backrefs) return (i in X)
  if (has_re) return T[i] ~ re
  if (has_ss) return ss == "" || index(T[i], ss) > 0
  return line == bare(T[i])
}
BEGIN { RS = "\001" }
{ buf = buf (NR > 1 ? RS : "") $0 }
END {
  backrefs = ENVIRON["fk_backrefs"] == "1"
  has_re = ENVIRON["fk_has_re"] == "1"; re = ENVIRON["fk_re"]
  has_ss = ENVIRON["fk_has_ss"] == "1"; ss = ENVIRON["fk_ss"]
  line = ENVIRON["fk_line"]; first = ENVIRON["fk_first"] == "1"
  after = ENVIRON["fk_after"]; before = ENVIRON["fk_before"]; ins = ENVIRON["fk_ins"]
  m = split(buf, P, "\n"); n = 0
  for (i = 1; i <= m; i++) {
    s = i < m ? P[i] "\n" : P[i]
    if (s == "") continue
    if (backrefs && substr(s, 1, 1) == "\002") {
      x = substr(s, 2); sub(/\n$/, "", x); gsub(/\004/, "\n", x); X[n] = x
    } else T[n++] = s
  }
  changed = 0
  if (ENVIRON["fk_state"] == "absent") {
    k = 0
    for (i = 0; i < n; i++) if (!hit(i)) U[k++] = T[i]
    if (k < n) { changed = 1; for (i = 0; i < k; i++) T[i] = U[i]; n = k }
  } else {
    i0 = -1; i1 = -1; found = 0
    if (has_re || has_ss || backrefs) for (i = 0; i < n; i++) if (hit(i)) { i0 = i; found = 1; if (first) break }
    if (!found) for (i = 0; i < n; i++) {
      if (line == bare(T[i])) i0 = i
      else if (ins != "" && T[i] ~ ins) {
        if (after != "") { i1 = i + 1; if (first) break }
        if (before != "") { i1 = i; if (first) break }
      }
    }
    if (i0 >= 0) {
      s = (backrefs ? X[i0] : line)
      if (s !~ /\n$/) s = s "\n"
      if (T[i0] != s) { T[i0] = s; changed = 1 }
    } else if (backrefs) {
    } else if (before == "BOF" || after == "BOF") { put(0, line "\n"); changed = 1
    } else if (after == "EOF" || i1 == -1) {
      if (n > 0 && T[n - 1] !~ /[\r\n]$/) T[n++] = "\n"
      T[n++] = line "\n"; changed = 1
    } else if (after != "") {
      if (n == i1) { if (bare(T[i1 - 1]) != line) { T[n++] = line "\n"; changed = 1 } }
      else if (line != bare(T[i1])) { put(i1, line "\n"); changed = 1 }
    } else { put(i1, line "\n"); changed = 1 }
  }
  out = ENVIRON["fk_out"]
  if (out == "-") for (i = 0; i < n; i++) printf "%s", T[i]
  else if (changed && out != "") { for (i = 0; i < n; i++) printf "%s", T[i] > out; close(out) }
  exit changed ? 100 : 0
}
)AWK";

// "fk_x='value' " for the awk command's environment.
std::string env(const std::string& name, const std::string& value) { return name + "=" + shell_quote(value) + " "; }

// Where an insertafter/insertbefore value puts the line: "EOF"/"BOF" or a regex ("re").
std::string placement(const std::string& value, bool after) {
  if (after && (value == "EOF" || value == "BOF")) return value;
  if (!after && value == "BOF") return value;
  return "re";
}

// backrefs: sed expands `line` with the groups of the first match on each
// matching line and hands awk a "\002" line with the result before it.
Result<std::string> backrefs_sed(const std::string& regexp, const std::string& line) {
  auto ere = translate_python_regex(regexp, RegexDialect::kSedMultiline);
  if (!ere) return ere.error().context("regexp");
  auto repl = translate_python_template(line, *ere, "\\x04");  // awk reads the result line by line
  if (!repl) return repl.error().context("line");
  const std::string& r = *repl;
  auto delimiter = sed_delimiter({ere->text, r});
  if (!delimiter) return delimiter.error();
  const char d = *delimiter;
  const std::string re = std::string(1, d) + ere->text + d;
  return "\\" + re + "M{\nh\ns" + re + "\\x01" + r + "\\x03" + d + "M\ns/^[^\\x01]*\\x01//\ns/\\x03[^\\x03]*$//\n"
         "s/^/\\x02/\np\nx\n}\n";
}

class LineinfileModule final : public Module {
 public:
  std::string_view name() const override { return "lineinfile"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    auto made = make_script(args, mode);
    if (!made) return made.error().context("lineinfile");
    return made;
  }

 private:
  static Result<std::string> make_script(const Value::Object& args, const RunMode& mode) {
    auto common = text_file_args(args, true);
    if (!common) return common.error();
    const std::string& path = common->path;
    const std::string& state = common->state;
    const bool has_re = has_arg(args, "regexp"), has_ss = has_arg(args, "search_string"), has_line = has_arg(args, "line");
    const bool backrefs = arg_bool(args, "backrefs", false);
    if (has_re && has_ss) return Error(ErrorKind::kInvalidInput, "parameters are mutually exclusive: regexp|search_string");
    if (has_arg(args, "insertafter") && has_arg(args, "insertbefore")) {
      return Error(ErrorKind::kInvalidInput, "parameters are mutually exclusive: insertbefore|insertafter");
    }
    if (backrefs && has_ss) return Error(ErrorKind::kInvalidInput, "parameters are mutually exclusive: backrefs|search_string");
    const bool present = state == "present";
    if (present && backrefs && !has_re) return Error(ErrorKind::kInvalidInput, "regexp is required with backrefs=true");
    if (present && !has_line) return Error(ErrorKind::kInvalidInput, "line is required with state=present");
    if (!present && !has_re && !has_ss && !has_line) {
      return Error(ErrorKind::kInvalidInput, "one of line, search_string, or regexp is required with state=absent");
    }
    const std::string line = arg_string(args, "line");
    const bool use_backrefs = present && backrefs;

    std::string vars = env("fk_state", state) + env("fk_line", line);
    if (has_ss) vars += env("fk_has_ss", "1") + env("fk_ss", arg_string(args, "search_string"));
    if (has_re && !use_backrefs) {
      auto re = translate_python_regex(arg_string(args, "regexp"), RegexDialect::kAwkLine);
      if (!re) return re.error().context("regexp");
      vars += env("fk_has_re", "1") + env("fk_re", re->text);
    }
    if (arg_bool(args, "firstmatch", false)) vars += env("fk_first", "1");
    if (present) {
      std::string after = arg_string(args, "insertafter"), before = arg_string(args, "insertbefore");
      if (!has_arg(args, "insertafter") && !has_arg(args, "insertbefore")) after = "EOF";
      std::string where_after = has_arg(args, "insertafter") || after == "EOF" ? placement(after, true) : "";
      std::string where_before = has_arg(args, "insertbefore") ? placement(before, false) : "";
      if (where_after == "re" || where_before == "re") {
        auto ins = translate_python_regex(where_after == "re" ? after : before, RegexDialect::kAwkLine);
        if (!ins) return ins.error().context(where_after == "re" ? "insertafter" : "insertbefore");
        vars += env("fk_ins", ins->text.empty() ? "^" : ins->text);
      }
      vars += env("fk_after", where_after) + env("fk_before", where_before);
    }
    std::string rewrite = vars + "LC_ALL=C awk " + shell_quote(kProgram) + " < \"$fk_src\"";
    std::string s = kScriptHead;
    if (use_backrefs) {
      // The sed program holds `line`: it reaches sed through a here-document
      // (the variable's value is not read as shell), never its command line.
      auto sed = backrefs_sed(arg_string(args, "regexp"), line);
      if (!sed) return sed.error();
      s += "fk_bsed=" + shell_quote(*sed) + "\n";
      s += "fk_edit() {\nLC_ALL=C sed -E -f /dev/fd/3 -- \"$fk_src\" 3<<FK_SED | " + vars + "fk_backrefs=1 LC_ALL=C awk " +
           shell_quote(kProgram) + "\n$fk_bsed\nFK_SED\n}\n";
      rewrite = "fk_edit";
    }

    if (present) {
      s += open_text_snippet(path, arg_bool(args, "create", false), "Destination $fk_path does not exist !", mode);
    } else {
      s += "if [ ! -e " + shell_quote(path) + " ]; then exit 0; fi\n" + open_text_snippet(path, false, "", mode);
    }
    s += rewrite_snippet(rewrite, args, mode, arg_bool(args, "backup", false));
    const std::string attrs = attributes_snippet("fk_dest", args, mode);
    s += mode.check ? when_exists("[ -e \"$fk_dest\" ]", attrs) : attrs;
    return s + kExitByChange;
  }
};

}  // namespace

std::unique_ptr<Module> make_lineinfile_module() { return std::make_unique<LineinfileModule>(); }

}  // namespace fleetk8s::modules
