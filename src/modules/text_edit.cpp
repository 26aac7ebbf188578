#include "text_edit.h"

#include "arg_check.h"
#include "file_lib.h"

namespace fleetk8s::modules {

std::string open_text_snippet(const std::string& path, bool create, const std::string& missing_message,
                              const RunMode& mode) {
  std::string s = "fk_changed=0\nfk_path=" + shell_quote(path) + "\nfk_dest=\"$fk_path\"\n";
  s += "if [ -d \"$fk_dest\" ]; then echo \"Path $fk_path is a directory !\" >&2; exit 1; fi\n";
  // Ansible writes through a symlink to the file it names.
  s += "if [ -L \"$fk_dest\" ]; then fk_dest=$(readlink -m -- \"$fk_dest\") || exit 1; fi\n";
  s += "case \"$fk_dest\" in */*) fk_dir=\"${fk_dest%/*}\" ;; *) fk_dir=. ;; esac\n[ -n \"$fk_dir\" ] || fk_dir=/\n";
  s += "if [ -e \"$fk_dest\" ]; then fk_src=\"$fk_dest\"\nelse\n";
  if (!create) return s + "  echo \"" + missing_message + "\" >&2; exit 1\nfi\n";
  s += "  fk_src=/dev/null\n";
  // New directories get Ansible's default 0755: they hold nothing yet.
  if (!mode.check) s += "  [ -d \"$fk_dir\" ] || (umask 022 && mkdir -p -- \"$fk_dir\") || exit 1\n";
  return s + "fi\n";
}

namespace {

const char* kDiffLabel = "if [ \"$fk_src\" = /dev/null ]; then fk_label=/dev/null; else fk_label=\"before: $fk_dest\"; fi\n";

}  // namespace

std::string install_text_snippet(const Value::Object& args, const RunMode& mode, bool backup) {
  std::string s;
  if (mode.diff) {
    s += kDiffLabel;
    s += "diff -u --label \"$fk_label\" --label \"after: $fk_dest\" -- \"$fk_src\" \"$fk_tmp\"\n";
  }
  s += temp_attributes_snippet(args);
  if (backup) s += "if [ -e \"$fk_dest\" ]; then cp -p -- \"$fk_dest\" \"$fk_dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~\" || exit 1; fi\n";
  s += "mv -f -- \"$fk_tmp\" \"$fk_dest\" || exit 1\nfk_tmp=\n";
  return s;
}

std::string rewrite_snippet(const std::string& rewrite, const Value::Object& args, const RunMode& mode, bool backup) {
  if (!mode.check) {
    return "fk_tmp=$(mktemp -- \"$fk_dir/.fleetk8s.tmp.XXXXXXXXXX\") || exit 1\n" + std::string(kRemoveTempOnExit) +
           "fk_out=\"$fk_tmp\"; export fk_out\n" + rewrite + "\ncase $? in\n0) ;;\n100) fk_changed=1\n" +
           install_text_snippet(args, mode, backup) + ";;\n*) exit 1 ;;\nesac\n";
  }
  if (!mode.diff) {
    return "fk_out=; export fk_out\n" + rewrite + "\ncase $? in 0) ;; 100) fk_changed=1 ;; *) exit 1 ;; esac\n";
  }
  return std::string("fk_out=-; export fk_out\n") + kDiffLabel + rewrite +
         " | diff -u --label \"$fk_label\" --label \"after: $fk_dest\" -- \"$fk_src\" -\n"
         "case $? in 0) ;; 1) fk_changed=1 ;; *) exit 1 ;; esac\n"
         // A file that would be created is a change even when created empty.
         "[ \"$fk_src\" = /dev/null ] && fk_changed=1\n";
}

Result<std::string> arg_choice(const Value::Object& args, const std::string& key,
                               const std::vector<std::string>& choices, const std::string& fallback) {
  const std::string v = arg_string(args, key, fallback);
  for (const auto& c : choices)
    if (v == c) return v;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  return Error(ErrorKind::kInvalidInput, key + " must be one of: " + list + "; got \"" + v + "\"");
}

bool has_arg(const Value::Object& args, const std::string& key) {
  auto it = args.find(key);
  return it != args.end() && !it->second.is_null();
}

Result<TextFileArgs> text_file_args(const Value::Object& args, bool with_state) {
  if (auto ok = no_nul(args); !ok) return ok.error();
  TextFileArgs out;
  out.path = arg_string(args, "path");
  if (out.path.empty()) return Error(ErrorKind::kInvalidInput, "path is required");
  if (with_state) {
    auto state = arg_choice(args, "state", {"present", "absent"}, "present");
    if (!state) return state.error();
    out.state = *state;
  }
  if (auto ok = check_attribute_args(args); !ok) return ok.error();
  return out;
}

}  // namespace fleetk8s::modules
