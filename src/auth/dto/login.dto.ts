import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { UserView } from '../../users/dto/user.dto';

export class LoginDto {
  @ApiProperty({ example: 'admin@forewarn.local' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: 'your password' }) @IsString() @MinLength(1) @MaxLength(200) password: string;
}

export class TokenView {
  @ApiProperty({ description: 'Send as Authorization: Bearer <accessToken>' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn: number;
  @ApiProperty({ type: UserView }) user: UserView;
}
