package io.warmstream.model.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streaming writer of one safetensors file of F32 tensors. The tensors are declared up front (the header holds
 * every offset), then their data is streamed in declared order, whole or in chunks. The SHA-256 of the file is
 * computed while writing, so no second pass over the bytes is needed.
 *
 * <p>Layout written: 8-byte little-endian header length, the JSON header padded with spaces to a multiple of 8
 * bytes, then the tensors contiguously, little-endian, in declared order.
 */
public final class SafetensorsWriter implements AutoCloseable {

    /** Metadata Hugging Face transformers requires to load the file as PyTorch weights. */
    public static final Map<String, String> PYTORCH_METADATA = Map.of("format", "pt");

    static final int BUFFER_BYTES = 4 << 20;

    private final Path file;
    private final FileChannel channel;
    private final MessageDigest sha256 = Sha256.newDigest();
    private final byte[] staging = new byte[BUFFER_BYTES];
    private final FloatBuffer stagingFloats = ByteBuffer.wrap(staging).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    private final List<TensorSpec> specs;
    private int staged;           // bytes in staging
    private int current;          // index of the tensor being written
    private long writtenOfCurrent; // elements of it written so far
    private long bytesWritten;
    private boolean finished;

    private SafetensorsWriter(Path file, FileChannel channel, List<TensorSpec> specs) {
        this.file = file;
        this.channel = channel;
        this.specs = List.copyOf(specs);
    }

    /**
     * Creates the file (it must not exist) and writes the header.
     *
     * @param metadata string map stored as "__metadata__"; use {@link #PYTORCH_METADATA} for Hugging Face
     */
    public static SafetensorsWriter create(Path file, List<TensorSpec> specs, Map<String, String> metadata) {
        Set<String> names = new HashSet<>();
        for (TensorSpec s : specs) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("tensor " + s.name() + " declared twice");
            }
        }
        byte[] header = SafetensorsHeader.encode(specs, metadata);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
        SafetensorsWriter writer = new SafetensorsWriter(file, channel, specs);
        try {
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writer.writeRaw(prefix.array(), 8);
            writer.writeRaw(header, header.length);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        return writer;
    }

    public Path file() {
        return file;
    }

    /** The tensor that the next write goes to, or null when all are complete. */
    public TensorSpec currentTensor() {
        return current < specs.size() ? specs.get(current) : null;
    }

    /** Writes the whole next tensor. */
    public void write(float[] data) {
        TensorSpec spec = requireCurrent();
        if (writtenOfCurrent != 0 || data.length != spec.elementCount()) {
            throw new IllegalStateException("tensor " + spec.name() + " expects " + spec.elementCount()
                    + " elements" + (writtenOfCurrent != 0 ? " (" + writtenOfCurrent + " already written)" : "")
                    + ", got " + data.length);
        }
        write(data, 0, data.length);
    }

    /**
     * Appends src[offset, offset+length) to the current tensor; a chunk never spans two tensors. The tensor is
     * complete when all its elements are written (an empty tensor by a zero-length write, or at finish).
     */
    public void write(float[] src, int offset, int length) {
        TensorSpec spec = requireCurrent();
        long remaining = spec.elementCount() - writtenOfCurrent;
        if (length > remaining) {
            throw new IllegalStateException("tensor " + spec.name() + ": chunk of " + length
                    + " elements exceeds the " + remaining + " left");
        }
        int left = length;
        int at = offset;
        while (left > 0) {
            int room = (BUFFER_BYTES - staged) >>> 2;
            if (room == 0) {
                flushStaging();
                continue;
            }
            int n = Math.min(room, left);
            stagingFloats.position(staged >>> 2);
            stagingFloats.put(src, at, n);
            staged += n << 2;
            at += n;
            left -= n;
        }
        writtenOfCurrent += length;
        if (writtenOfCurrent == spec.elementCount()) {
            current++;
            writtenOfCurrent = 0;
        }
    }

    /**
     * Checks every declared tensor was written, flushes, fsyncs and closes the file.
     *
     * @return the lower-case hex SHA-256 of the whole file
     */
    public String finish() {
        if (finished) {
            throw new IllegalStateException(file + " already finished");
        }
        while (current < specs.size() && writtenOfCurrent == 0 && specs.get(current).elementCount() == 0) {
            current++; // empty tensors have nothing to write
        }
        if (current < specs.size()) {
            throw new IllegalStateException(file + ": tensor " + specs.get(current).name() + " and "
                    + (specs.size() - current - 1) + " after it not written");
        }
        flushStaging();
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + file, e);
        }
        finished = true;
        return Sha256.hex(sha256.digest());
    }

    /** Bytes written to the file so far (header included). */
    public long bytesWritten() {
        return bytesWritten + staged;
    }

    /** Closes without finishing: the partial file stays for the caller (a staging directory) to delete. */
    @Override
    public void close() {
        if (!finished) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // An unfinished file is garbage anyway.
            }
        }
    }

    private TensorSpec requireCurrent() {
        if (finished || current >= specs.size()) {
            throw new IllegalStateException(file + ": all declared tensors are already written");
        }
        return specs.get(current);
    }

    private void writeRaw(byte[] bytes, int length) {
        flushStaging();
        sha256.update(bytes, 0, length);
        writeFully(ByteBuffer.wrap(bytes, 0, length));
    }

    private void flushStaging() {
        if (staged == 0) {
            return;
        }
        sha256.update(staging, 0, staged);
        writeFully(ByteBuffer.wrap(staging, 0, staged));
        staged = 0;
    }

    private void writeFully(ByteBuffer bytes) {
        try {
            while (bytes.hasRemaining()) {
                bytesWritten += channel.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
