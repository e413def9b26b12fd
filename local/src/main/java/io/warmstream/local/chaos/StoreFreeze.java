package io.warmstream.local.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the checkpoint store unwritable and writable again. Root ignores permission bits, so as root every file
 * and directory under the store is made immutable ({@code chattr -R +i}: nothing can be created, renamed or
 * deleted in it, reads still work); otherwise write permission is taken away ({@code chmod -R a-w}).
 */
final class StoreFreeze {

    private final Path store;
    private final boolean root = "root".equals(System.getProperty("user.name"));

    StoreFreeze(Path store) {
        this.store = store;
    }

    void freeze() {
        run(root ? List.of("chattr", "-R", "-f", "+i", store.toString()) : List.of("chmod", "-R", "a-w", store.toString()));
    }

    void thaw() {
        run(root ? List.of("chattr", "-R", "-f", "-i", store.toString()) : List.of("chmod", "-R", "u+w", store.toString()));
    }

    String method() {
        return root ? "chattr -R +i (running as root)" : "chmod -R a-w";
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish");
            }
            // chattr -f still exits non-zero when a file vanished under it (a merger deleting an old version): fine
            if (p.exitValue() != 0 && !out.isBlank() && !out.contains("No such file")) {
                System.err.println("chaos: " + String.join(" ", command) + ": " + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
