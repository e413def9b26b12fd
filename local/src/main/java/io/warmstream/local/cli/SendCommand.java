package io.warmstream.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmstream.local.client.IngestClient;
import io.warmstream.local.client.LabelFileSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code warm send}: labels from a JSONL file to ingest's HTTP API. */
@Command(name = "send", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, versionProvider = WarmVersion.class,
        description = {"Send preference labels from a JSONL file to ingest.", "",
                "Posts the file's lines to ingest's POST /v1/preferences in batches. One JSON object per line with "
                        + "id, prompt, chosen, rejected and optionally labeller, source, confidence, createdAt, metadata. "
                        + "Ingest validates each line; refused lines are reported with their line number and reason. "
                        + "Resending a file is safe: labels with the same id are kept once.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every line accepted", "1:ingest unreachable or the file unreadable", "3:some lines refused"})
public final class SendCommand implements Callable<Integer> {

    static final int SOME_REJECTED = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file.jsonl>", description = "The labels, one JSON object per line ('-' reads standard input).")
    Path file;

    @Option(names = "--ingest-url", paramLabel = "<url>", defaultValue = "${env:WARM_INGEST_URL:-http://localhost:8080}",
            description = "Ingest's base URL (env WARM_INGEST_URL; default ${DEFAULT-VALUE}).")
    String ingestUrl;

    @picocli.CommandLine.Mixin
    ClientCredentials credentials;

    @Option(names = "--batch-size", paramLabel = "<n>", defaultValue = "500", description = "Labels per request (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--rejects", paramLabel = "<file>",
            description = "Also write every refused line's number and reason to this file as JSONL.")
    Path rejectsFile;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Option(names = "--timeout", paramLabel = "<seconds>", defaultValue = "60", description = "HTTP timeout per request (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean stdin = file.toString().equals("-");
        if (!stdin && !Files.isReadable(file)) {
            err.println("cannot read " + file);
            return 1;
        }
        long size = stdin ? -1 : Files.size(file);
        IngestClient client = new IngestClient(ingestUrl, Duration.ofSeconds(timeoutSeconds),
                credentials.key(io.warmstream.security.Roles.LABELLER));
        LabelFileSender sender = new LabelFileSender(client, batchSize, 8 * 1024 * 1024);
        ProgressLine progress = new ProgressLine(err, quiet, System.console() != null);
        long t0 = System.nanoTime();
        ObjectMapper json = new ObjectMapper();
        LabelFileSender.Totals totals;
        try (BufferedReader in = stdin ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(file, StandardCharsets.UTF_8);
             Writer rejects = rejectsFile == null ? Writer.nullWriter() : Files.newBufferedWriter(rejectsFile, StandardCharsets.UTF_8)) {
            totals = sender.send(in,
                    t -> progress.update(progressText(t, size, t0)),
                    r -> writeRejection(json, rejects, r));
        } catch (IngestClient.IngestUnavailableException e) {
            progress.end();
            err.println("error: " + e.getMessage());
            err.println("is the stack running? start it with ./warm up (or ./warm demo), or pass --ingest-url");
            return 1;
        }
        progress.end();
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("sent %,d labels to %s in %.1f s: %,d accepted, %,d rejected%n",
                totals.lines(), client.endpoint(), seconds, totals.accepted(), totals.rejected());
        if (totals.rejected() > 0) {
            out.println("rejected by reason:");
            for (Map.Entry<String, Long> e : totals.reasons().entrySet()) {
                out.printf("  %-22s %,d%n", e.getKey(), e.getValue());
            }
            out.println(totals.rejected() > totals.firstRejections().size()
                    ? "first " + totals.firstRejections().size() + " refused lines:" : "refused lines:");
            totals.firstRejections().forEach(r -> out.println("  " + r));
            if (rejectsFile != null) {
                out.println("all refused lines: " + rejectsFile);
            }
        }
        out.flush();
        return totals.rejected() > 0 ? SOME_REJECTED : 0;
    }

    private static String progressText(LabelFileSender.Totals t, long size, long t0) {
        double seconds = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        String share = size > 0 ? String.format(" (%3.0f%%)", 100.0 * Math.min(t.bytes(), size) / size) : "";
        return String.format("sent %,d%s  accepted %,d  rejected %,d  %,.0f labels/s",
                t.lines(), share, t.accepted(), t.rejected(), t.lines() / seconds);
    }

    private static void writeRejection(ObjectMapper json, Writer rejects, LabelFileSender.LineRejection r) {
        try {
            rejects.write(json.writeValueAsString(Map.of("line", r.line(), "field", r.field(), "reason", r.reason(),
                    "detail", r.detail() == null ? "" : r.detail())));
            rejects.write('\n');
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the rejects file", e);
        }
    }
}
