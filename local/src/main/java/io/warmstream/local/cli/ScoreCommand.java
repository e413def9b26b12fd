package io.warmstream.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warmstream.local.client.ScorerClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code warm score}: rewards from the scorer for one pair or a JSONL file of pairs. */
@Command(name = "score", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, versionProvider = WarmVersion.class,
        description = {"Score responses with the newest WARM model.", "",
                "Asks the scorer for rewards: either one pair (--prompt and --response) or a JSONL file of "
                        + "{\"prompt\": ..., \"response\": ...} lines (--input; '-' reads standard input), answered as "
                        + "JSONL with a reward and the model version added to each line.", ""})
public final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    static final class Single {
        @Option(names = "--prompt", required = true, paramLabel = "<text>", description = "The prompt.")
        String prompt;

        @Option(names = "--response", required = true, paramLabel = "<text>", description = "The response to score.")
        String response;
    }

    static final class Source {
        @ArgGroup(exclusive = false)
        Single single;

        @Option(names = "--input", paramLabel = "<file.jsonl>", description = "Pairs to score, one JSON object per line.")
        Path input;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--scorer-url", paramLabel = "<url>", defaultValue = "${env:WARM_SCORER_URL:-http://localhost:8082}",
            description = "The scorer's base URL (env WARM_SCORER_URL; default ${DEFAULT-VALUE}).")
    String scorerUrl;

    @picocli.CommandLine.Mixin
    ClientCredentials credentials;

    @Option(names = "--batch-size", paramLabel = "<n>", defaultValue = "64", description = "Pairs per request (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ScorerClient client = new ScorerClient(scorerUrl, Duration.ofSeconds(60), credentials.key(io.warmstream.security.Roles.READER));
        try {
            if (source.single != null) {
                ScorerClient.Score s = client.score(List.of(new ScorerClient.Pair(source.single.prompt, source.single.response))).get(0);
                out.printf("%.6f%s%n", s.reward(), s.modelVersion() == null ? "" : "  (WARM v" + s.modelVersion() + ")");
                out.flush();
                return 0;
            }
            return scoreFile(client, out, err);
        } catch (ConnectException e) {
            err.println("error: no scorer at " + scorerUrl + "; is the stack running? (./warm up or ./warm demo), or pass --scorer-url");
            return 1;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private int scoreFile(ScorerClient client, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        boolean stdin = source.input.toString().equals("-");
        int bad = 0;
        try (BufferedReader in = stdin ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(source.input, StandardCharsets.UTF_8)) {
            List<ScorerClient.Pair> batch = new ArrayList<>();
            List<JsonNode> lines = new ArrayList<>();
            long lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = json.readTree(line);
                } catch (IOException e) {
                    err.printf("line %d: not valid JSON%n", lineNumber);
                    bad++;
                    continue;
                }
                if (!node.path("prompt").isTextual() || !node.path("response").isTextual()) {
                    err.printf("line %d: needs string fields prompt and response%n", lineNumber);
                    bad++;
                    continue;
                }
                batch.add(new ScorerClient.Pair(node.get("prompt").asText(), node.get("response").asText()));
                lines.add(node);
                if (batch.size() >= batchSize) {
                    flush(client, batch, lines, json, out);
                }
            }
            if (!batch.isEmpty()) {
                flush(client, batch, lines, json, out);
            }
        }
        out.flush();
        return bad > 0 ? SendCommand.SOME_REJECTED : 0;
    }

    private static void flush(ScorerClient client, List<ScorerClient.Pair> batch, List<JsonNode> lines, ObjectMapper json,
                              PrintWriter out) throws IOException, InterruptedException {
        List<ScorerClient.Score> scores = client.score(batch);
        for (int i = 0; i < scores.size(); i++) {
            ObjectNode o = (ObjectNode) lines.get(i);
            o.put("reward", scores.get(i).reward());
            if (scores.get(i).modelVersion() != null) {
                o.put("modelVersion", scores.get(i).modelVersion());
            }
            out.println(json.writeValueAsString(o));
        }
        batch.clear();
        lines.clear();
    }
}
