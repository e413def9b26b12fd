/**
 * The preference world: a simulated summarisation task with a known gold reward, used to feed warmstream realistic
 * labels ({@code warm demo}, {@code warm send}) and to check the WARM paper's claims ({@code warm eval}).
 *
 * <ul>
 *   <li>{@link io.warmstream.eval.world.PreferenceWorld} is the entry point: tasks, best-of-N candidates and labels,
 *       all a pure function of a {@link io.warmstream.eval.world.WorldConfig} and an index.</li>
 *   <li>{@link io.warmstream.eval.world.GoldReward} documents what "better" means here; every term is visible in the
 *       text, so a reward model can learn it.</li>
 *   <li>{@link io.warmstream.eval.world.AiLabeller} turns candidate pairs into labels with Bradley-Terry noise; the
 *       world flips a configured share of training labels and records which in each label's metadata.</li>
 *   <li>{@link io.warmstream.eval.world.Split#OOD} holds topics never seen in training and a shifted, stronger,
 *       wordier candidate policy.</li>
 *   <li>{@link io.warmstream.eval.world.LabelsJsonl} reads and writes labels as JSON Lines;
 *       {@link io.warmstream.eval.world.WorldMain} writes samples from the command line and
 *       {@link io.warmstream.eval.world.WorldBenchmark} prints speed and data-shape figures as JSON.</li>
 * </ul>
 *
 * The vocabulary (topics, fact slots, phrasings) is data: {@code topics.json} next to these classes.
 */
package io.warmstream.eval.world;
