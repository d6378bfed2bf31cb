import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidZone } from './time';

/** An IANA time zone that exists (e.g. America/New_York). */
export function IsIanaZone(options?: ValidationOptions): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: 'isIanaZone',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be an IANA time zone such as America/New_York`, ...options },
      validator: { validate: (v: unknown) => isValidZone(v) },
    });
}
