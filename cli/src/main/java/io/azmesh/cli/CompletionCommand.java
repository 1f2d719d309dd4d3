package io.azmesh.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshctl completion bash|zsh}: a shell completion script for meshctl. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = "Prints a completion script for bash or zsh.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  source <(meshctl completion bash)",
      "  meshctl completion zsh > \"${fpath[1]}/_meshctl\"",
      "",
      "The zsh script is the bash one run through zsh's bashcompinit."
    })
final class CompletionCommand implements Callable<Integer> {
  /** The shells a script can be printed for. */
  enum Shell {
    BASH,
    ZSH
  }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("meshctl", spec.root().commandLine());
    PrintWriter out = spec.commandLine().getOut();
    if (shell == Shell.ZSH) {
      out.println("autoload -U +X compinit && compinit");
      out.println("autoload -U +X bashcompinit && bashcompinit");
    }
    out.print(script);
    out.flush();
    return 0;
  }
}
