"""The sequence-labelling core: HMM (and, next, perceptron and CRF) taggers over int32 arrays."""
