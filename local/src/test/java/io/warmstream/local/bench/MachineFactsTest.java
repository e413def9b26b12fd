package io.warmstream.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineFactsTest {

    @TempDir
    Path repo;

    @Test
    void rewrittenResultFilesDoNotMakeTheCommitDirtyButChangedCodeDoes() throws Exception {
        assumeTrue(git("init", "-q"), "git is not installed");
        write("bench/results/trainer.json", "{}");
        write("eval/results/cpu/report.json", "{}");
        write("model/Code.java", "class Code {}");
        assertTrue(git("add", "."));
        assertTrue(git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "first"));
        String head = MachineFacts.gitCommit(repo);
        assertEquals(40, head.length(), head);

        write("bench/results/trainer.json", "{\"rerun\": true}");
        write("eval/results/cpu/report.json", "{\"rerun\": true}");
        assertEquals(head, MachineFacts.gitCommit(repo), "results rewritten by a run");

        write("model/Code.java", "class Code { int changed; }");
        assertEquals(head + "+dirty", MachineFacts.gitCommit(repo), "code changed");
        assertEquals(head + "+dirty", MachineFacts.gitCommit(repo.resolve("model")), "asked from a subfolder");
    }

    private void write(String path, String text) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private boolean git(String... args) {
        return MachineFacts.git(repo, args) != null;
    }
}
