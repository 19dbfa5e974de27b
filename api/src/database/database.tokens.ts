export const DATABASE_TARGET = Symbol('DATABASE_TARGET');
