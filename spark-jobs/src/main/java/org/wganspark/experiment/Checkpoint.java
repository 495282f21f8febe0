package org.wganspark.experiment;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.wganspark.io.AtomicOutput;
import org.wganspark.io.BadInputException;
import org.wganspark.train.dist.TrainingState;

/**
 * A logged step's end, the last write of the step (write then rename): the averaged state, the next round's index and
 * the training seconds so far, so that a resumed run goes on to the same numbers and its clock goes on too.
 */
public record Checkpoint(TrainingState state, int round, double seconds) implements Serializable {

    /** The run's checkpoint; bad input when it is not one this version wrote. */
    static Checkpoint read(RunFolder run, Configuration conf) throws IOException {
        Path file = run.file(RunFolder.CHECKPOINT);
        try (ObjectInputStream in = new ObjectInputStream(file.getFileSystem(conf).open(file))) {
            return (Checkpoint) in.readObject();
        } catch (ClassNotFoundException | ClassCastException | java.io.ObjectStreamException | java.io.EOFException e) {
            throw new BadInputException(run.named(RunFolder.CHECKPOINT) + ": unreadable checkpoint (written by another version of wgan-spark, "
                    + "or damaged): " + e.getClass().getSimpleName());
        }
    }

    /** Writes this checkpoint into the run, atomically. */
    void write(RunFolder run, Configuration conf) {
        FaultInjection.point("before-checkpoint", state.criticSteps());
        AtomicOutput.writeFile(run.file(RunFolder.CHECKPOINT), conf, stream -> {
            ObjectOutputStream o = new ObjectOutputStream(stream);
            o.writeObject(this);
            o.flush();
            FaultInjection.point("checkpoint-written", state.criticSteps());  // written, not yet renamed into place
        });
    }
}
