// replace: every match of a regex in a file replaced, as Python's re.sub
// with re.MULTILINE does it, optionally only between `after` and `before`.
// GNU sed does the work on the whole file at once (its M flag is Python's
// MULTILINE, and it has the submatches awk lacks); a converged run costs
// one sed and one cmp.
#include "file_lib.h"
#include "fleetk8s/core/py_ere.h"
#include "registry.h"
#include "text_edit.h"

namespace fleetk8s::modules {

using pyre::Ere;
using pyre::RegexDialect;
using pyre::translate_python_regex;
using pyre::translate_python_template;
using pyre::sed_delimiter;

namespace {

// sed reads line by line and ends its output with "\n" when the last line
// it read had one. It is fed the file and then "\nx", so that its last line
// never has one; the script gathers everything into one buffer and takes
// the "\nx" away: the buffer is then the file byte for byte, and so is
// what sed prints.
const char* kSlurp = ":a\n$!{\nN\nba\n}\ns/\\nx$//\n";
// Marks where the section between after and before starts (\x01) and ends
// (\x02); \x03 ends the rewritten section. A file already holding them
// stops sed with status 3.
const char* kNoMarkers = "/[\\x01-\\x03]/Q 3\n";

std::string s_command(char d, const std::string& re, const std::string& repl, const std::string& flags) {
  return std::string("s") + d + re + d + repl + d + flags + "\n";
}

// The sed script for the arguments: `main` is the "s" command that does the
// replacing, the rest cuts the section out around it and puts it back.
Result<std::string> sed_script(const Value::Object& args) {
  auto re = translate_python_regex(arg_string(args, "regexp"), RegexDialect::kSedMultiline, false);
  if (!re) return re.error().context("regexp");
  auto repl = translate_python_template(arg_string(args, "replace"), *re);
  if (!repl) return repl.error().context("replace");
  const bool has_after = !arg_string(args, "after").empty(), has_before = !arg_string(args, "before").empty();
  Ere after, before;
  if (has_after) {
    auto a = translate_python_regex(arg_string(args, "after"), RegexDialect::kSedDotall, false);
    if (!a) return a.error().context("after");
    after = *a;
  }
  if (has_before) {
    // Alone, before follows a (.*) group: its own groups start at 3.
    auto b = translate_python_regex(arg_string(args, "before"), RegexDialect::kSedDotall, false, has_after ? 0 : 2);
    if (!b) return b.error().context("before");
    before = *b;
  }
  if ((has_after || has_before) && repl->find_first_of("\x01\x02\x03") != std::string::npos) {
    return Error(ErrorKind::kInvalidInput, "control characters \\x01 to \\x03 cannot be used with after or before");
  }
  auto delimiter = sed_delimiter({re->text, *repl, after.text, before.text});
  if (!delimiter) return delimiter.error();
  const char d = *delimiter;
  const std::string main = s_command(d, re->text, *repl, "Mg");
  std::string s = kSlurp;
  if (!has_after && !has_before) return s + main;
  s += kNoMarkers;
  if (has_after && !has_before) {
    // pre\x01 | section
    s += s_command(d, after.text, "&\\x01", "");
    s += "/\\x01/!b\n";
    return s + "h\ns/^.*\\x01//\n" + main + "x\ns/\\x01.*$/\\x01/\nG\ns/\\x01\\n//\n";
  }
  if (!has_after) {
    // section (up to the last match of before) | \x02 post
    s += s_command(d, "^(.*)(" + before.text + ")", "\\1\\x02\\2", "");
    s += "/\\x02/!b\n";
    return s + "h\ns/\\x02.*$//\n" + main + "x\ns/^.*\\x02/\\x02/\nx\nG\ns/\\n\\x02//\n";
  }
  // pre \x01 | section (up to the first match of before after it) | \x02 post
  s += s_command(d, after.text, "&\\x01", "");
  s += "/\\x01/!b\n";
  s += "h\ns/^.*\\x01//\n" + s_command(d, before.text, "\\x02&", "");
  s += "/\\x02/!{\nx\ns/\\x01//\nb\n}\n";
  s += "x\ns/\\x01.*$/\\x01/\nx\nH\ns/\\x02.*$//\n" + main;
  return s + "s/$/\\x03/\nG\ns/^([^\\x03]*)\\x03\\n([^\\x01]*)\\x01\\n[^\\x02]*\\x02/\\2\\1/\n";
}

class ReplaceModule final : public Module {
 public:
  std::string_view name() const override { return "replace"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    auto made = make_script(args, mode);
    if (!made) return made.error().context("replace");
    return made;
  }

 private:
  static Result<std::string> make_script(const Value::Object& args, const RunMode& mode) {
    auto common = text_file_args(args, false);
    if (!common) return common.error();
    const std::string& path = common->path;
    if (!has_arg(args, "regexp")) return Error(ErrorKind::kInvalidInput, "regexp is required");
    auto sed = sed_script(args);
    if (!sed) return sed.error();

    std::string s = kScriptHead + open_text_snippet(path, false, "Path $fk_path does not exist !", mode);
    s += "fk_sed=" + shell_quote(*sed) + "\n";
    // Follows the rewrite protocol of rewrite_snippet; unchanged costs cat, sed and cmp.
    // The program (which holds the replacement) reaches sed through a
    // here-document, not its command line, where `ps` would show it.
    s += "fk_sub() {\nprintf '\\nx' | cat -- \"$fk_src\" - | LC_ALL=C sed -E -f /dev/fd/3 3<<FK_SED\n$fk_sed\nFK_SED\n}\n";
    s += "fk_edit() {\n"
         "  if [ \"$fk_out\" = - ]; then fk_sub; return; fi\n"
         "  fk_sub 2>/dev/null | cmp -s -- - \"$fk_src\" && return 0\n"
         "  [ -n \"$fk_out\" ] || return 100\n"
         "  fk_sub > \"$fk_out\"\n"
         "  case $? in\n"
         "  0) return 100 ;;\n"
         "  3) echo \"$fk_path holds control characters \\\\x01 to \\\\x03, which replace cannot handle with after or before\" >&2 ;;\n"
         "  esac\n"
         "  return 1\n"
         "}\n";
    s += rewrite_snippet("fk_edit", args, mode, arg_bool(args, "backup", false));
    s += attributes_snippet("fk_dest", args, mode);
    return s + kExitByChange;
  }
};

}  // namespace

std::unique_ptr<Module> make_replace_module() { return std::make_unique<ReplaceModule>(); }

}  // namespace fleetk8s::modules
